package dev.canopy.engine.weights;

import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.BackendBuffer;
import dev.canopy.natives.ggml.GgmlContext;
import dev.canopy.natives.ggml.Tensors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Copies of the model's matrices in a CPU extra buffer type (see {@link CpuWeightLayouts}), or of a
 * GPU layer's tensors in device memory ({@link #copyInto}). For the CPU types ggml
 * reorders each matrix into the kernel's layout while it is copied in, so these weights cost
 * their size in RAM (the memory-mapped original is no longer touched) and a read of the file at
 * load, as in llama.cpp. Owns one ggml context and one buffer per buffer type used.
 */
final class RepackedWeights implements AutoCloseable {
    /** The weights of matrix multiplications (not token_embd, which is read by row). */
    private static final Pattern MATMUL_WEIGHT =
            Pattern.compile("blk\\.\\d+\\.(attn_(q|k|v|output)|ffn_(gate|up|down))\\.weight|output\\.weight");

    private final List<GgmlContext> contexts = new ArrayList<>(); // owned: headers of the copies
    private final List<BackendBuffer> buffers = new ArrayList<>(); // owned: their data
    private final List<String> bufferTypeNames = new ArrayList<>();

    private RepackedWeights() {}

    /**
     * Replaces, in {@code byName}, every matrix an extra CPU buffer type supports by a copy in that
     * buffer type, filled from {@code mapped} (the tensor's bytes in the memory map); only the
     * matrices in {@code mapped} are copied (none: every weight stays in the memory map).
     */
    static RepackedWeights apply(Map<String, MemorySegment> byName, Map<String, MemorySegment> mapped) {
        Map<MemorySegment, List<String>> byType = new LinkedHashMap<>();
        if (!mapped.isEmpty()) {
            CpuWeightLayouts layouts = CpuWeightLayouts.discover();
            for (Map.Entry<String, MemorySegment> e : byName.entrySet()) {
                if (!MATMUL_WEIGHT.matcher(e.getKey()).matches() || !mapped.containsKey(e.getKey())) continue;
                layouts.forMatMul(e.getValue()).ifPresent(buft -> byType.computeIfAbsent(buft, k -> new ArrayList<>()).add(e.getKey()));
            }
        }
        return copies(byType, byName, mapped);
    }

    /**
     * Replaces, in {@code byName}, the tensors {@code names} by copies in one buffer of {@code buft}
     * (device memory for the layers on a GPU), filled from {@code mapped}.
     */
    static RepackedWeights copyInto(MemorySegment buft, List<String> names, Map<String, MemorySegment> byName,
                                    Map<String, MemorySegment> mapped) {
        return copies(Map.of(buft, names), byName, mapped);
    }

    /**
     * As {@link #copyInto(MemorySegment, List, Map, Map)} for several devices: one buffer per buffer
     * type of {@code groups} (each device's memory, a worker's over the network), in its order.
     */
    static RepackedWeights copyInto(Map<MemorySegment, List<String>> groups, Map<String, MemorySegment> byName,
                                    Map<String, MemorySegment> mapped) {
        return copies(groups, byName, mapped);
    }

    /** One buffer per buffer type of {@code groups}, holding copies of its tensors; nothing stays allocated when a copy fails. */
    private static RepackedWeights copies(Map<MemorySegment, List<String>> groups, Map<String, MemorySegment> byName,
                                          Map<String, MemorySegment> mapped) {
        RepackedWeights r = new RepackedWeights();
        try {
            for (Map.Entry<MemorySegment, List<String>> group : groups.entrySet()) {
                r.copyGroup(group.getKey(), group.getValue(), byName, mapped);
            }
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    private void copyGroup(MemorySegment buft, List<String> names, Map<String, MemorySegment> byName,
                           Map<String, MemorySegment> mapped) {
        GgmlContext ctx = GgmlContext.metadata(names.size(), 0);
        contexts.add(ctx);
        List<MemorySegment> copies = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            for (String name : names) {
                MemorySegment src = byName.get(name);
                MemorySegment ne = arena.allocateFrom(ValueLayout.JAVA_LONG, Tensors.shape(src));
                copies.add(Tensors.named(llama_h.ggml_new_tensor(ctx.handle(), Tensors.type(src), 4, ne), name));
            }
        }
        BackendBuffer buffer = BackendBuffer.allocate(ctx, buft, "the weights");
        buffers.add(buffer);
        buffer.markWeights();
        bufferTypeNames.add(CpuWeightLayouts.name(buft));
        for (int i = 0; i < names.size(); i++) {
            MemorySegment data = mapped.get(names.get(i));
            llama_h.ggml_backend_tensor_set(copies.get(i), data, 0, data.byteSize());
            byName.put(names.get(i), copies.get(i));
        }
    }

    /** Bytes held in extra buffer types. */
    long bytes() {
        return buffers.stream().mapToLong(BackendBuffer::size).sum();
    }

    /** Names of the buffer types used, e.g. [CPU_REPACK]. */
    List<String> bufferTypes() {
        return List.copyOf(bufferTypeNames);
    }

    @Override
    public void close() {
        buffers.forEach(BackendBuffer::close);
        buffers.clear();
        contexts.forEach(GgmlContext::close);
        contexts.clear();
    }
}
