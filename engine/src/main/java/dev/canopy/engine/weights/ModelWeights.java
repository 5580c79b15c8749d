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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    private final RepackedWeights onDevices; // owned: the tensors of the layers off the CPU, copied into their devices' memory
    private final LayerSplit split;
    private final MemorySegment tokenEmbd;  // borrowed from headers: [embedding, vocab]
    private final MemorySegment outputNorm; // borrowed: [embedding]
    private final MemorySegment output;     // borrowed: [embedding, vocab] (token_embd when tied)
    private final List<LayerWeights> layers;

    private ModelWeights(Arena mapping, GgmlContext headers, BackendBuffer buffer, RepackedWeights repacked, RepackedWeights onDevices,
                         LayerSplit split, MemorySegment tokenEmbd, MemorySegment outputNorm, MemorySegment output,
                         List<LayerWeights> layers) {
        this.mapping = mapping;
        this.headers = headers;
        this.buffer = buffer;
        this.repacked = repacked;
        this.onDevices = onDevices;
        this.split = split;
        this.tokenEmbd = tokenEmbd;
        this.outputNorm = outputNorm;
        this.output = output;
        this.layers = layers;
    }

    /** Maps every tensor of {@code gguf} into a CPU buffer and checks the shapes {@code hp} implies. */
    public static ModelWeights mapCpu(GgufFile gguf, ModelHparams hp) {
        return load(gguf, hp, LayerSplit.cpuOnly(hp.layers()), WeightLayout.REPACKED);
    }

    /**
     * As {@link #mapCpu}, then copies the tensors {@code split} puts on each device into one buffer of
     * that device's default buffer type (its memory; a worker's, over the network); the others stay in
     * the map (or its CPU repacks, with {@code layout} {@link WeightLayout#REPACKED}).
     */
    public static ModelWeights load(GgufFile gguf, ModelHparams hp, LayerSplit split, WeightLayout layout) {
        if (split.layers() != hp.layers()) throw new IllegalArgumentException("split of " + split.layers() + " layers for a model of " + hp.layers());
        List<GgufFile.TensorInfo> infos = gguf.tensors();
        GgmlContext headers = GgmlContext.metadata(infos.size() + 1, 0);
        Arena mapping = Arena.ofShared();
        BackendBuffer buffer = null;
        RepackedWeights repacked = null;
        RepackedWeights onDevices = null;
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
            assemble(dir, hp, mapping, headers, buffer, null, null, split); // checks every shape before anything is copied
            if (split.anyOffloaded()) {
                Map<MemorySegment, List<String>> groups = new LinkedHashMap<>();
                for (LayerDevice d : split.devices()) {
                    List<String> names = byName.keySet().stream().filter(n -> split.deviceOf(n).equals(Optional.of(d))).sorted().toList();
                    if (!names.isEmpty()) groups.put(llama_h.ggml_backend_dev_buffer_type(d.device()), names);
                }
                onDevices = RepackedWeights.copyInto(groups, byName, mapped);
                groups.values().forEach(names -> names.forEach(mapped::remove)); // what is on a device is not repacked for the CPU
            }
            repacked = RepackedWeights.apply(byName, layout == WeightLayout.REPACKED ? mapped : Map.of());
            return assemble(dir, hp, mapping, headers, buffer, repacked, onDevices, split);
        } catch (IOException e) {
            close(repacked, onDevices, buffer, headers, mapping);
            throw new ModelLoadException("Cannot map " + gguf.path() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(repacked, onDevices, buffer, headers, mapping);
            throw e;
        }
    }

    private static ModelWeights assemble(TensorDirectory dir, ModelHparams hp, Arena mapping, GgmlContext headers,
                                         BackendBuffer buffer, RepackedWeights repacked, RepackedWeights onDevices,
                                         LayerSplit split) {
        long e = hp.embedding();
        MemorySegment embd = dir.require("token_embd.weight", e, hp.vocab());
        MemorySegment outNorm = dir.require("output_norm.weight", e);
        // gemma2 always reads its logits through the token embedding (llama.cpp duplicates it)
        MemorySegment out = hp.arch() == Architecture.GEMMA2 ? null : dir.optional("output.weight", e, hp.vocab());
        LayerTensors tensors = new LayerTensors(dir, hp);
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < hp.layers(); l++) layers.add(tensors.layer(l));
        return new ModelWeights(mapping, headers, buffer, repacked, onDevices, split, embd, outNorm, out != null ? out : embd,
                List.copyOf(layers));
    }

    private static void close(RepackedWeights repacked, RepackedWeights onDevices, BackendBuffer buffer, GgmlContext headers, Arena mapping) {
        if (repacked != null) repacked.close();
        if (onDevices != null) onDevices.close();
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
    public LayerSplit split() { return split; }

    /** Bytes of weights in device memory, a GPU's or the workers' (0 when every layer is on the CPU). */
    public long gpuBytes() { return onDevices == null ? 0 : onDevices.bytes(); }

    /** Bytes of the matrices copied into the CPU's kernel layouts (0 when none applies). */
    public long repackedBytes() { return repacked == null ? 0 : repacked.bytes(); }

    /** The CPU extra buffer types holding copies of matrices, e.g. [CPU_REPACK]; empty when none. */
    public List<String> repackedBufferTypes() { return repacked == null ? List.of() : repacked.bufferTypes(); }

    @Override
    public void close() {
        close(repacked, onDevices, buffer, headers, mapping);
    }
}
