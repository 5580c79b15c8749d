package dev.canopy.kv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/** Saving and reopening a store, and the two edits that rewrite pages (repair, truncate). Called with the lock held. */
final class Persistence {
    private static final System.Logger LOG = System.getLogger(Persistence.class.getName());

    private Persistence() {}

    static void save(KvStore s) {
        for (LayerState ls : s.layers) {
            if (ls.tokens != s.tokenCount) {
                throw new IllegalStateException("layer " + ls.layer + " holds " + ls.tokens + " of " + s.tokenCount + " tokens: finish appending before saving");
            }
            for (PageEntry e : ls.pages) {
                if (!e.diskCurrent()) s.place.writeToDisk(e); // only host-resident pages can be stale
            }
        }
        s.place.disk.force();
        List<Manifest.PageRecord[]> pages = new ArrayList<>();
        for (LayerState ls : s.layers) {
            pages.add(ls.pages.stream().map(e -> new Manifest.PageRecord(e.diskSlot, e.tokens, e.crcAbstract, e.crcData))
                    .toArray(Manifest.PageRecord[]::new));
        }
        Manifest m = new Manifest(s.spec.identity(), s.layout, s.spec.budgets().coldType(), s.place.disk.slotBytes(),
                java.util.Arrays.copyOf(s.tokens, s.tokenCount), pages, s.attachments);
        try {
            m.write(s.spec.manifestFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the KV manifest " + s.spec.manifestFile(), e);
        }
        BitSet slots = new BitSet();
        for (Manifest.PageRecord[] layer : pages) for (Manifest.PageRecord r : layer) slots.set(r.diskSlot());
        s.place.manifestWritten(slots);
    }

    static Optional<KvStore> open(KvStoreSpec spec, int[] conversationTokens) {
        Manifest m;
        try {
            if (!Files.exists(spec.manifestFile())) return Optional.empty();   // nothing saved yet: the usual first run
            Optional<Manifest> read = Manifest.read(spec.manifestFile());
            if (read.isEmpty()) return refuse(spec, "no readable manifest");
            m = read.get();
        } catch (IOException e) {
            return refuse(spec, "manifest unreadable: " + e.getMessage());
        }
        if (!m.identity().equals(spec.identity())) return refuse(spec, "saved for another model file or other settings");
        if (!m.layout().equals(spec.layout())) return refuse(spec, "saved with another KV layout");
        if (m.coldType() != spec.budgets().coldType() || m.slotBytes() != spec.slotLayout().slotBytes()) {
            return refuse(spec, "saved with another cold page type");
        }
        int common = 0;
        while (common < m.tokens().length && common < conversationTokens.length && m.tokens()[common] == conversationTokens[common]) common++;
        if (common == 0) return refuse(spec, "the conversation shares no token prefix with the saved KV");
        BitSet used = new BitSet();
        for (Manifest.PageRecord[] layer : m.pages()) for (Manifest.PageRecord r : layer) used.set(r.diskSlot());
        DiskTier disk;
        try {
            disk = DiskTier.open(spec.pageFile(), spec.slotLayout(), spec.budgets().diskBytes(), used);
        } catch (IOException e) {
            return refuse(spec, "page file unusable: " + e.getMessage());
        }
        KvStore s = new KvStore(spec, disk);
        s.place.manifestWritten(used);
        try {
            restore(s, m);
            if (common < s.tokenCount) truncate(s, common);
            return Optional.of(s);
        } catch (RuntimeException e) {
            s.release();
            return refuse(spec, "page table inconsistent: " + e.getMessage());
        }
    }

    private static void restore(KvStore s, Manifest m) {
        s.tokens = m.tokens().clone();
        s.tokenCount = s.tokens.length;
        s.attachments.putAll(m.attachments());
        for (LayerState ls : s.layers) {
            Manifest.PageRecord[] recs = m.pages().get(ls.layer);
            for (int p = 0; p < recs.length; p++) {
                Manifest.PageRecord r = recs[p];
                boolean last = p == recs.length - 1;
                if (r.tokens() < 1 || r.tokens() > ls.pageTokens || (!last && r.tokens() != ls.pageTokens)) {
                    throw new IllegalStateException("layer " + ls.layer + " page " + p + " has " + r.tokens() + " tokens");
                }
                PageEntry e = new PageEntry(ls.layer, p, p * ls.pageTokens, null);
                e.tokens = r.tokens();
                e.diskSlot = r.diskSlot();
                e.diskTokens = r.tokens();
                e.crcAbstract = r.crcAbstract();
                e.crcData = r.crcData();
                PageAbstract a = s.place.readAbstract(e);
                if (a == null) {
                    a = PageAbstract.unknown(s.layout.rowElements());
                    s.place.markDamaged(e);
                }
                e.abstractKeys = a;
                ls.pages.add(e);
                ls.tokens += e.tokens;
                if (e.tokens == ls.pageTokens) ls.chunks.sealed(p, a);
            }
            if (ls.tokens != s.tokenCount) throw new IllegalStateException("layer " + ls.layer + " holds " + ls.tokens + " of " + s.tokenCount + " tokens");
            PageEntry open = ls.openPage();
            if (open != null) s.place.ensureHost(open);
        }
    }

    private static Optional<KvStore> refuse(KvStoreSpec spec, String why) {
        LOG.log(Level.INFO, "not reusing saved KV of conversation {0}: {1}", spec.conversationId(), why);
        return Optional.empty();
    }

    static void truncate(KvStore s, int n) {
        if (n < 0 || n > s.tokenCount) throw new IllegalArgumentException("cannot truncate " + s.tokenCount + " tokens to " + n);
        Placement place = s.place;
        for (LayerState ls : s.layers) {
            if (ls.tokens <= n) continue;
            int keep = (n + ls.pageTokens - 1) / ls.pageTokens;
            while (ls.pages.size() > keep) place.forget(ls.pages.removeLast());
            ls.tokens = n;
            PageEntry e = ls.openPage();
            if (e != null) cut(s, ls, e, n - e.firstPosition);
            ls.chunks.reset(ls.pages, ls.sealedPages());
            ls.lastSelection = java.util.Arrays.stream(ls.lastSelection).filter(p -> p < ls.pages.size()).toArray();
        }
        s.tokenCount = n;
    }

    /** Keeps the first {@code rows} rows of a page that becomes the open page again. */
    private static void cut(KvStore s, LayerState ls, PageEntry e, int rows) {
        Placement place = s.place;
        place.ensureHost(e);
        place.dropDevice(e);
        MemorySegment mem = place.host.host(e.hostSlot);
        long hotRow = place.hotRow;
        long tail = (ls.pageTokens - rows) * hotRow;
        mem.asSlice(rows * hotRow, tail).fill((byte) 0);
        mem.asSlice(place.hotValues + rows * hotRow, tail).fill((byte) 0);
        e.tokens = rows;
        e.version++;
        e.diskTokens = -1; // the disk copy is stale; its slot is rewritten when the page is sealed or saved
        if (!e.abstractKeys.unknown()) {
            float[] lo = PageAbstract.empty(s.layout.rowElements()).min();
            float[] hi = PageAbstract.empty(s.layout.rowElements()).max();
            Rows.minMax(mem, s.layout.hotType(), rows, lo, hi);
            e.abstractKeys = new PageAbstract(lo, hi, false);
        }
    }
}
