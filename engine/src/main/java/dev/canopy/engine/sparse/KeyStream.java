package dev.canopy.engine.sparse;

import dev.canopy.kv.KvType;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Feeds a sequence's layer-0 keys from the KV cache to its {@link ChunkBoundaries}: after each
 * prefill chunk (or decoded token) the engine calls {@link #advance} with the cells just written.
 * This is DHSA's one host round trip per chunk (C rows of Hkv*hd halves, e.g. 64 KiB), never one
 * per layer. A quantized key cache is read as the graph reads it, dequantized. Owns the host copy
 * buffers; borrows the cache tensor.
 */
public final class KeyStream implements AutoCloseable {
    private final Arena arena = Arena.ofShared(); // owned: host copy of the key rows
    private final MemorySegment keys;             // borrowed: layer-0 K cache [Hkv*hd, cells(+1)], F16, F32, Q8_0 or Q4_0
    private final KvType type;
    private final int headDim;
    private final int kvHeads;
    private final ChunkBoundaries boundaries;
    private final int seqStart;
    private MemorySegment host = MemorySegment.NULL;   // owned by arena: the rows as stored
    private MemorySegment wide = MemorySegment.NULL;   // owned by arena: the rows widened to F32

    public KeyStream(MemorySegment layer0Keys, int headDim, int kvHeads, int seqStart, BoundaryParams params) {
        this.type = KvType.ofGgml(Tensors.type(layer0Keys));   // F16, F32, or a quantized KV's Q8_0 / Q4_0
        if (Tensors.ne(layer0Keys, 0) != (long) headDim * kvHeads) throw new IllegalArgumentException("cache rows are not Hkv*hd wide");
        this.keys = layer0Keys;
        this.headDim = headDim;
        this.kvHeads = kvHeads;
        this.seqStart = seqStart;
        this.boundaries = new ChunkBoundaries(headDim, params);
    }

    /** Reads the keys of the next {@code count} positions (cells seqStart+length() ...) into the detector. */
    public void advance(int count) {
        if (count <= 0) return;
        long row = Tensors.nb(keys, 1);
        long bytes = row * count;
        if (host.byteSize() < bytes) host = arena.allocate(Math.max(bytes, 2 * host.byteSize()), 64);
        llama_h.ggml_backend_tensor_get(keys, host, row * (seqStart + boundaries.length()), bytes);
        long values = (long) count * headDim * kvHeads;
        if (wide.byteSize() < 4 * values) wide = arena.allocate(Math.max(4 * values, 2 * wide.byteSize()), 64);
        type.toF32(host, wide, values);   // what the graph's key reads see: F16 rounded, blocks dequantized
        boundaries.append(headMeans(wide, count));
    }

    /** Forgets positions from {@code length} on (the conversation was rewound and will be re-prefilled). */
    public void rewind(int length) {
        boundaries.truncate(length);
    }

    /** The detector (positions read so far and their chunk starts). */
    public ChunkBoundaries boundaries() {
        return boundaries;
    }

    /** The chunk map of a graph window for the query block {@code block}. */
    public ChunkMap chunkMap(QueryBlock block, int window) {
        return ChunkMap.of(boundaries.starts(), boundaries.length(), seqStart, block.lastCell(), window);
    }

    /** Key rows [count][Hkv*hd] -> their means over KV heads [count][hd]. */
    private float[] headMeans(MemorySegment rows, int count) {
        float[] out = new float[count * headDim];
        int width = headDim * kvHeads;
        for (int t = 0; t < count; t++) {
            for (int h = 0; h < kvHeads; h++) {
                for (int d = 0; d < headDim; d++) {
                    long i = (long) t * width + h * headDim + d;
                    float x = rows.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                    out[t * headDim + d] += x / kvHeads;
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        arena.close();
    }
}
