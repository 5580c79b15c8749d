package dev.canopy.engine.weights;

import dev.canopy.engine.WeightLayout;
import dev.canopy.engine.model.Architecture;
import dev.canopy.engine.model.ModelHparams;
import dev.canopy.natives.ffi.llama_h;
import dev.canopy.natives.ggml.BackendBuffer;
import dev.canopy.natives.ggml.GgmlContext;
import dev.canopy.natives.ggml.Tensors;
import dev.canopy.natives.gguf.GgufFile;
import dev.canopy.natives.llama.ModelLoadException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's weights as ggml tensors, each in its file's own type (F32, F16, any quantization).
 * On the CPU the file is memory-mapped and wrapped as a ggml buffer without copying, so loading
 * costs page faults only. Owns the mapping, the tensor headers and the buffer.
 */
public final class ModelWeights implements AutoCloseable {
    private final Arena mapping;          // owned: the read-only memory map of the file
    private final GgmlContext headers;    // owned: one ggml_tensor header per GGUF tensor
    private final BackendBuffer buffer;   // owned: ggml's view of the mapping
    private final RepackedWeights repacked; // owned: matrices copied into the CPU's kernel layouts
    private final RepackedWeights onGpu;    // owned: the GPU layers' tensors copied into device memory
    private final LayerPlacement placement;
    private final MemorySegment tokenEmbd;  // borrowed from headers: [embedding, vocab]
    private final MemorySegment outputNorm; // borrowed: [embedding]
    private final MemorySegment output;     // borrowed: [embedding, vocab] (token_embd when tied)
    private final List<LayerWeights> layers;

    private ModelWeights(Arena mapping, GgmlContext headers, BackendBuffer buffer, RepackedWeights repacked, RepackedWeights onGpu,
                         LayerPlacement placement, MemorySegment tokenEmbd, MemorySegment outputNorm, MemorySegment output,
                         List<LayerWeights> layers) {
        this.mapping = mapping;
        this.headers = headers;
        this.buffer = buffer;
        this.repacked = repacked;
        this.onGpu = onGpu;
        this.placement = placement;
        this.tokenEmbd = tokenEmbd;
        this.outputNorm = outputNorm;
        this.output = output;
        this.layers = layers;
    }

    /** Maps every tensor of {@code gguf} into a CPU buffer and checks the shapes {@code hp} implies. */
    public static ModelWeights mapCpu(GgufFile gguf, ModelHparams hp) {
        return load(gguf, hp, LayerPlacement.cpuOnly(hp.layers()), MemorySegment.NULL);
    }

    /**
     * As {@link #mapCpu}, then copies the tensors {@code placement} puts on the GPU into one buffer
     * of {@code gpuBufferType} (device memory); the others stay in the map (or its CPU repacks).
     */
    public static ModelWeights load(GgufFile gguf, ModelHparams hp, LayerPlacement placement, MemorySegment gpuBufferType) {
        return load(gguf, hp, placement, gpuBufferType, WeightLayout.REPACKED);
    }

    /** As {@link #load(GgufFile, ModelHparams, LayerPlacement, MemorySegment)}, the CPU layers' matrices kept in {@code layout}. */
    public static ModelWeights load(GgufFile gguf, ModelHparams hp, LayerPlacement placement, MemorySegment gpuBufferType,
                                    WeightLayout layout) {
        if (placement.layers() != hp.layers()) throw new IllegalArgumentException("placement of " + placement.layers() + " layers for a model of " + hp.layers());
        List<GgufFile.TensorInfo> infos = gguf.tensors();
        GgmlContext headers = GgmlContext.metadata(infos.size() + 1, 0);
        Arena mapping = Arena.ofShared();
        BackendBuffer buffer = null;
        RepackedWeights repacked = null;
        RepackedWeights onGpu = null;
        try {
            MemorySegment map;
            try (FileChannel ch = FileChannel.open(gguf.path(), StandardOpenOption.READ)) {
                map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), mapping);
            }
            buffer = BackendBuffer.wrapHost(map);
            buffer.markWeights();
            Map<String, MemorySegment> byName = new HashMap<>();
            Map<String, MemorySegment> mapped = new HashMap<>();
            try (Arena tmp = Arena.ofConfined()) {
                MemorySegment ne = tmp.allocate(8L * 4);
                for (GgufFile.TensorInfo info : infos) {
                    for (int d = 0; d < 4; d++) ne.setAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, d, d < info.shape().length ? info.shape()[d] : 1);
                    if (info.type() < 0 || info.type() >= llama_h.GGML_TYPE_COUNT() || llama_h.ggml_blck_size(info.type()) == 0) {
                        throw new ModelLoadException("Model file " + gguf.path().getFileName() + ": tensor " + info.name()
                                + " has unknown type " + info.type());
                    }
                    MemorySegment t = Tensors.named(llama_h.ggml_new_tensor(headers.handle(), info.type(), 4, ne), info.name());
                    if (llama_h.ggml_nbytes(t) != info.bytes() || info.offset() + info.bytes() > map.byteSize()) {
                        throw new ModelLoadException("Model file " + gguf.path().getFileName() + ": tensor " + info.name()
                                + " does not fit its declared size (damaged file?)");
                    }
                    buffer.place(t, map.asSlice(info.offset(), info.bytes()));
                    byName.put(info.name(), t);
                    mapped.put(info.name(), map.asSlice(info.offset(), info.bytes()));
                }
            }
            TensorDirectory dir = new TensorDirectory(gguf.path(), byName);
            assemble(dir, hp, mapping, headers, buffer, null, null, placement); // checks every shape before anything is copied
            if (placement.anyOnGpu()) {
                List<String> gpuNames = byName.keySet().stream().filter(placement::onGpu).sorted().toList();
                onGpu = RepackedWeights.copyInto(gpuBufferType, gpuNames, byName, mapped);
                gpuNames.forEach(mapped::remove);     // what is on the GPU is not repacked for the CPU
            }
            repacked = RepackedWeights.apply(byName, layout == WeightLayout.REPACKED ? mapped : Map.of());
            return assemble(dir, hp, mapping, headers, buffer, repacked, onGpu, placement);
        } catch (IOException e) {
            close(repacked, onGpu, buffer, headers, mapping);
            throw new ModelLoadException("Cannot map " + gguf.path() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(repacked, onGpu, buffer, headers, mapping);
            throw e;
        }
    }

    private static ModelWeights assemble(TensorDirectory dir, ModelHparams hp, Arena mapping, GgmlContext headers,
                                         BackendBuffer buffer, RepackedWeights repacked, RepackedWeights onGpu,
                                         LayerPlacement placement) {
        long e = hp.embedding();
        MemorySegment embd = dir.require("token_embd.weight", e, hp.vocab());
        MemorySegment outNorm = dir.require("output_norm.weight", e);
        // gemma2 always reads its logits through the token embedding (llama.cpp duplicates it)
        MemorySegment out = hp.arch() == Architecture.GEMMA2 ? null : dir.optional("output.weight", e, hp.vocab());
        LayerTensors tensors = new LayerTensors(dir, hp);
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < hp.layers(); l++) layers.add(tensors.layer(l));
        return new ModelWeights(mapping, headers, buffer, repacked, onGpu, placement, embd, outNorm, out != null ? out : embd,
                List.copyOf(layers));
    }

    private static void close(RepackedWeights repacked, RepackedWeights onGpu, BackendBuffer buffer, GgmlContext headers, Arena mapping) {
        if (repacked != null) repacked.close();
        if (onGpu != null) onGpu.close();
        if (buffer != null) buffer.close();
        headers.close();
        mapping.close();
    }

    public MemorySegment tokenEmbd() { return tokenEmbd; }
    public MemorySegment outputNorm() { return outputNorm; }
    public MemorySegment output() { return output; }
    public LayerWeights layer(int i) { return layers.get(i); }
    public int layerCount() { return layers.size(); }

    /** Bytes of weight data in the memory map. */
    public long bytes() { return buffer.size(); }

    /** Where the layers run. */
    public LayerPlacement placement() { return placement; }

    /** Bytes of weights in device memory (0 when every layer is on the CPU). */
    public long gpuBytes() { return onGpu == null ? 0 : onGpu.bytes(); }

    /** Bytes of the matrices copied into the CPU's kernel layouts (0 when none applies). */
    public long repackedBytes() { return repacked == null ? 0 : repacked.bytes(); }

    /** The CPU extra buffer types holding copies of matrices, e.g. [CPU_REPACK]; empty when none. */
    public List<String> repackedBufferTypes() { return repacked == null ? List.of() : repacked.bufferTypes(); }

    @Override
    public void close() {
        close(repacked, onGpu, buffer, headers, mapping);
    }
}
