package dev.canopy.memory.manage;

import dev.canopy.memory.db.Database;
import dev.canopy.memory.db.MemoryStoreException;
import dev.canopy.memory.db.Sql;
import dev.canopy.memory.fact.EntityStore;
import dev.canopy.memory.fact.Fact;
import dev.canopy.memory.fact.FactHit;
import dev.canopy.memory.fact.FactOrigin;
import dev.canopy.memory.fact.FactRole;
import dev.canopy.memory.fact.FactId;
import dev.canopy.memory.fact.FactSource;
import dev.canopy.memory.fact.FactStore;
import dev.canopy.memory.fact.NewFact;
import dev.canopy.memory.forest.Nodes;
import dev.canopy.memory.forest.Router;
import dev.canopy.memory.summarize.Refresher;
import dev.canopy.memory.text.Names;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the user can do with single facts: list, search, add, edit, delete. Trees follow every change. */
public final class FactEditor {

    private final Database db;
    private final Router router;
    private final Refresher refresher;
    private final InstantSource clock;

    public FactEditor(Database db, Router router, Refresher refresher, InstantSource clock) {
        this.db = db;
        this.router = router;
        this.refresher = refresher;
        this.clock = clock;
    }

    /** Newest first. */
    public List<Fact> list(int offset, int limit) {
        return db.read("listing memories", s -> FactStore.list(s, offset, limit));
    }

    public long count() {
        return db.read("counting memories", FactStore::count);
    }

    public Optional<Fact> get(FactId id) {
        return db.read("reading a memory", s -> FactStore.get(s, id.value()));
    }

    public List<FactSource> sources(FactId id) {
        return db.read("reading a memory", s -> FactStore.sources(s, id.value()));
    }

    public List<FactHit> search(String query, int limit) {
        return db.read("searching memories", s -> FactStore.search(s, query, limit));
    }

    /** Stores a fact the user typed ("remember that..."), about the user. */
    public Fact add(String text, String userName) {
        long id = db.write("adding a memory", s -> insert(s, text, userName));
        refresher.refresh();
        return get(new FactId(id)).orElseThrow();
    }

    /**
     * Stores many facts about the user (imports, bulk notes): each takes the same path as
     * {@link #add} (stored, indexed, routed into its trees), all in one transaction, and the dirty
     * paths are re-summarized once at the end, so a node touched by several of them is summarized once.
     *
     * @return the new facts' ids, in order
     */
    public List<Long> addAll(List<String> texts, String userName) {
        List<Long> ids = db.write("adding memories", s -> {
            List<Long> out = new ArrayList<>(texts.size());
            for (String text : texts) {
                out.add(insert(s, text, userName));
            }
            return out;
        });
        refresher.refresh();
        return ids;
    }

    private long insert(Sql s, String text, String userName) throws SQLException {
        List<String> entities = new ArrayList<>(Names.in(text));
        long fid = FactStore.insert(s, new NewFact(text, FactRole.DETAIL, clock.instant(), null, null,
                List.of(userName), entities, List.of(), null), FactOrigin.USER, clock.instant());
        EntityStore.link(s, fid, EntityStore.markUser(s, userName));
        router.routeFact(s, fid);
        return fid;
    }

    /** Replaces a fact's text; the summaries above it are rewritten. */
    public Fact edit(FactId factId, String text) {
        long id = factId.value();
        if (text == null || text.isBlank()) {
            throw new MemoryStoreException(MemoryStoreException.Kind.INVALID, "A memory cannot be empty");
        }
        db.write("editing a memory", s -> {
            requireFact(s, id);
            FactStore.updateText(s, id, text.strip(), clock.instant());
            markAncestorsDirty(s, id);
            Forgetter.blankDirtySummaries(s);
            return null;
        });
        refresher.refresh();
        return get(factId).orElseThrow();
    }

    /** Deletes a fact from every tree and index. */
    public void delete(FactId factId) {
        long id = factId.value();
        db.write("deleting a memory", s -> {
            requireFact(s, id);
            router.unrouteFact(s, id);
            FactStore.delete(s, id);
            Forgetter.blankDirtySummaries(s);
            return null;
        });
        refresher.refresh();
    }

    private static void requireFact(Sql s, long id) throws SQLException {
        if (FactStore.get(s, id).isEmpty()) {
            throw new MemoryStoreException(MemoryStoreException.Kind.NOT_FOUND, "No memory with id " + id);
        }
    }

    private static void markAncestorsDirty(Sql s, long factId) throws SQLException {
        List<Long> leaves = new ArrayList<>(Nodes.leavesOfFact(s, factId));
        leaves.addAll(s.longs("SELECT n.id FROM fact_sources fs JOIN nodes n ON n.cell_id = fs.cell_id WHERE fs.fact_id = ?",
                factId));
        for (long leaf : leaves) {
            for (long n : Nodes.pathToRoot(s, leaf)) {
                if (n != leaf) {
                    s.update("UPDATE nodes SET dirty = dirty + 1 WHERE id = ?", n);
                }
            }
        }
    }
}
