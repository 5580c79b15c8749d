package dev.canopy.memory.summarize;

import dev.canopy.memory.db.Database;
import dev.canopy.memory.db.MemoryStoreException;
import dev.canopy.memory.db.Sql;
import dev.canopy.memory.db.SqlWork;
import dev.canopy.memory.forest.TreeKind;
import dev.canopy.memory.llm.Embedder;
import dev.canopy.memory.llm.Vectors;
import dev.canopy.memory.text.Keywords;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Dirty-path refresh: re-summarizes only nodes marked dirty, level by level from the leaves up, so
 * a parent is always summarized from fresh children; all dirty nodes of one level go to the
 * summarizer in one call (in parallel). A model's summaries are computed outside any transaction; a
 * node that changed again meanwhile keeps its dirty mark (its counter moved) and is redone next time.
 * An in-process summarizer ({@link Summarizer#inProcess()}) without embeddings runs inside one write
 * transaction instead: one commit per refresh rather than one per level.
 */
public final class Refresher {

    private static final int PAGE = 256;
    private static final String ACTION = "refreshing memory";

    private record Work(long nodeId, int dirty, SummaryRequest request, String keywords) {
    }

    private final Database db;
    private final Summarizer summarizer;
    private final Optional<Embedder> embedder;

    public Refresher(Database db, Summarizer summarizer, Optional<Embedder> embedder) {
        this.db = db;
        this.summarizer = summarizer;
        this.embedder = embedder;
    }

    public RefreshReport refresh() {
        if (summarizer.inProcess() && embedder.isEmpty()) {
            // nothing slow to wait for: every level in one transaction, one commit per refresh
            return db.write(ACTION, this::levels);
        }
        try {
            return levels(null);
        } catch (SQLException e) {
            throw MemoryStoreException.from(db.file(), ACTION, e);
        }
    }

    /** All dirty levels bottom-up; {@code tx} is the caller's transaction, or null for one per step. */
    private RefreshReport levels(Sql tx) throws SQLException {
        List<Long> done = new ArrayList<>();
        TreeMap<Integer, Integer> perLevel = new TreeMap<>();
        int maxLevel = step(tx, false, s -> (int) s.longValue("SELECT max(level) FROM nodes WHERE dirty > 0"));
        for (int level = 1; level <= maxLevel; level++) {
            long after = 0;
            while (true) {
                final int lv = level;
                final long from = after;
                List<Work> page = step(tx, false, s -> page(s, lv, from));
                if (page.isEmpty()) {
                    break;
                }
                after = page.getLast().nodeId();
                List<String> summaries = summarizer.summarize(page.stream().map(Work::request).toList());
                List<float[]> vectors = embedder.map(e -> e.embed(summaries)).orElse(null);
                List<Long> written = step(tx, true, s -> write(s, page, summaries, vectors));
                done.addAll(written);
                perLevel.merge(level, written.size(), Integer::sum);
                if (page.size() < PAGE) {
                    break; // a short page was the last one
                }
            }
        }
        return new RefreshReport(done, perLevel);
    }

    private <T> T step(Sql tx, boolean write, SqlWork<T> work) throws SQLException {
        if (tx != null) {
            return work.apply(tx);
        }
        return write ? db.write(ACTION, work) : db.read(ACTION, work);
    }

    private static List<Work> page(Sql s, int level, long after) throws SQLException {
        List<Object[]> rows = s.list("""
                SELECT n.id, n.dirty, n.t_start, n.t_end, t.kind, t.label FROM nodes n JOIN trees t ON t.id = n.tree_id
                WHERE n.dirty > 0 AND n.level = ? AND n.id > ? ORDER BY n.id LIMIT ?""",
                rs -> new Object[] {rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                        rs.getString(6)}, level, after, PAGE);
        List<Work> out = new ArrayList<>();
        for (Object[] r : rows) {
            long id = (long) r[0];
            List<String> texts;
            String keywords;
            if (level == 1) {
                List<String[]> items = s.list("""
                        SELECT coalesce(nullif(c.summary, ''), c.text, f.text), coalesce(c.text, f.text || ' ' || f.entities)
                        FROM nodes l LEFT JOIN cells c ON c.id = l.cell_id LEFT JOIN facts f ON f.id = l.fact_id
                        WHERE l.parent_id = ? ORDER BY l.k_ts, l.k_id""",
                        rs -> new String[] {rs.getString(1), rs.getString(2)}, id);
                texts = items.stream().map(x -> x[0] == null ? "" : x[0]).toList();
                keywords = Keywords.ofTexts(items.stream().map(x -> x[1] == null ? "" : x[1]).toList(), Keywords.MAX);
            } else {
                List<String[]> kids = s.list("SELECT summary, keywords FROM nodes WHERE parent_id = ? ORDER BY k_ts, k_id",
                        rs -> new String[] {rs.getString(1), rs.getString(2)}, id);
                texts = kids.stream().map(x -> x[0]).toList();
                keywords = Keywords.merge(kids.stream().map(x -> x[1]).toList(), Keywords.MAX);
            }
            SummaryRequest req = new SummaryRequest(id, TreeKind.valueOf((String) r[4]), (String) r[5], level,
                    Instant.ofEpochMilli((long) r[2]), Instant.ofEpochMilli((long) r[3]), texts);
            out.add(new Work(id, (int) r[1], req, keywords));
        }
        return out;
    }

    private static List<Long> write(Sql s, List<Work> page, List<String> summaries, List<float[]> vectors)
            throws SQLException {
        List<Long> written = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
            Work w = page.get(i);
            int n = s.update("UPDATE nodes SET summary = ?, keywords = ?, dirty = 0 WHERE id = ? AND dirty = ?",
                    summaries.get(i), w.keywords(), w.nodeId(), w.dirty());
            if (n == 1) {
                written.add(w.nodeId());
                if (vectors != null) {
                    s.update("INSERT OR REPLACE INTO node_vectors(node_id, vec) VALUES (?, ?)", w.nodeId(),
                            Vectors.toBytes(vectors.get(i)));
                }
            }
        }
        return written;
    }
}
