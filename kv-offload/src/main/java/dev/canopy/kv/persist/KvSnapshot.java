package dev.canopy.kv.persist;

import dev.canopy.kv.tier.DiskPage;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a saved store holds: the token ids, per layer every page's disk copy, and the attachments.
 * {@link dev.canopy.kv.KvStore} hands one to {@link Persistence#save} and takes one back from
 * {@link Persistence#load}; persistence never touches the store itself.
 */
public record KvSnapshot(int[] tokens, List<DiskPage[]> pages, Map<String, byte[]> attachments) {

    public KvSnapshot {
        tokens = tokens.clone();
        pages = pages.stream().map(DiskPage[]::clone).toList();
        attachments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attachments));
    }

    @Override public int[] tokens() { return tokens.clone(); }

    /** The disk slots the pages occupy. */
    public BitSet diskSlots() {
        BitSet slots = new BitSet();
        for (DiskPage[] layer : pages) for (DiskPage r : layer) slots.set(r.diskSlot());
        return slots;
    }
}
