package dev.canopy.natives.llama;

/**
 * How libllama loads a model.
 *
 * @param gpuLayers layers to place on a GPU: 0 = CPU only, -1 = all
 * @param vocabOnly load only the tokenizer (for tokenizing and templates without weights)
 * @param mmap      memory-map the file instead of reading it
 * @param split     the devices the offloaded layers go to and their shares; {@code null}: llama.cpp's
 *                  default (every GPU ggml lists, by free memory)
 */
public record ModelParams(int gpuLayers, boolean vocabOnly, boolean mmap, DeviceSplit split) {
    public ModelParams(int gpuLayers, boolean vocabOnly, boolean mmap) {
        this(gpuLayers, vocabOnly, mmap, null);
    }

    public static ModelParams cpu() {
        return new ModelParams(0, false, true);
    }

    public static ModelParams vocab() {
        return new ModelParams(0, true, true);
    }

    /** No layer on a GPU: llama.cpp is then kept off any GPU it finds (see LlamaModel#cpuOnly). */
    public boolean cpuOnly() {
        return gpuLayers == 0;
    }

    public ModelParams withGpuLayers(int n) {
        return new ModelParams(n, vocabOnly, mmap, split);
    }

    /** Offloaded layers over these devices in these shares (for example a local GPU and remote workers). */
    public ModelParams withSplit(DeviceSplit s) {
        return new ModelParams(gpuLayers, vocabOnly, mmap, s);
    }
}
