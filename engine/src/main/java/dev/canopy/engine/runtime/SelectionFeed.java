package dev.canopy.engine.runtime;

import dev.canopy.engine.graph.GraphInputs;
import dev.canopy.engine.kv.KvCache;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.engine.sparse.ChunkMap;
import dev.canopy.engine.sparse.KeyStream;
import dev.canopy.engine.sparse.QueryBlock;
import dev.canopy.engine.sparse.SelectionInputWriter;
import dev.canopy.engine.sparse.SparseAttentionSettings;

import java.util.HashMap;
import java.util.Map;

/**
 * The host side of sparse attention for one forward pass: before a sparse graph runs, it brings the
 * sequence's DHSA boundary detector up to the step (reading the layer-0 keys written since, the
 * one host round trip per chunk) and binds the query block's selection inputs. A step of a sparse
 * graph must be one query block: consecutive positions of one sequence stored at cell = start +
 * position, attending causally from the sequence's first cell. Owns its writer and key streams;
 * borrows the cache.
 */
final class SelectionFeed implements AutoCloseable {
    private final ModelHparams hp;
    private final KvCache kv;                       // borrowed
    private final SparseAttentionSettings settings;
    private final SelectionInputWriter writer;      // owned
    private final Map<Integer, KeyStream> streams = new HashMap<>(); // owned, by the sequence's first cell

    SelectionFeed(ModelHparams hp, KvCache kv, SparseAttentionSettings settings) {
        this.hp = hp;
        this.kv = kv;
        this.settings = settings;
        this.writer = new SelectionInputWriter(settings);
    }

    /** Binds the selection inputs of a sparse graph of {@code window} cells for {@code step}. */
    void write(GraphInputs in, int window, Step step) {
        QueryBlock block = queryBlock(step);
        ChunkMap map = null;
        if (in.selection().mode() == AttentionMode.DHSA) {
            KeyStream keys = stream(block.seqStart());
            int known = keys.boundaries().length();
            int first = block.firstCell() - block.seqStart();
            if (known > first) keys.rewind(first);                 // the sequence was rewound: forget what follows
            else if (known < first) keys.advance(first - known);   // catch up with the keys written since
            map = keys.chunkMap(block, window);
        }
        writer.write(in.selection(), block, map);
    }

    /** The sequence starting at cell {@code seqStart} now holds only its first {@code length} positions. */
    void truncate(int seqStart, int length) {
        KeyStream k = streams.get(seqStart);
        if (k != null && k.boundaries().length() > length) k.rewind(length);
    }

    /** The chunk starts DHSA found so far in the sequence starting at cell {@code seqStart} (diagnostics, tests). */
    int[] chunkStarts(int seqStart) {
        KeyStream k = streams.get(seqStart);
        return k == null ? new int[0] : k.boundaries().starts();
    }

    private KeyStream stream(int seqStart) {
        return streams.computeIfAbsent(seqStart,
                s -> new KeyStream(kv.keys(0), hp.headDim(), hp.kvHeads(), s, settings.boundaries()));
    }

    /** The step as one query block, or an error when it is not one (a bug in the caller). */
    static QueryBlock queryBlock(Step step) {
        int n = step.rows();
        int start = step.cells()[0] - step.positions()[0];
        for (int i = 0; i < n; i++) {
            boolean ok = step.positions()[i] == step.positions()[0] + i && step.cells()[i] == start + step.positions()[i]
                    && step.visibleFrom()[i] == start && step.visibleTo()[i] == step.cells()[i];
            if (!ok) throw new IllegalStateException("sparse attention runs one causal query block per step; row " + i + " is not");
        }
        return QueryBlock.of(start, step.positions()[0], n);
    }

    @Override
    public void close() {
        streams.values().forEach(KeyStream::close);
        streams.clear();
        writer.close();
    }
}
