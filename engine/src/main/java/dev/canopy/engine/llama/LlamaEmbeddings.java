package dev.canopy.engine.llama;

import dev.canopy.engine.embed.Embedder;
import dev.canopy.engine.embed.Embeddings;
import dev.canopy.engine.embed.PoolingChoice;
import dev.canopy.natives.llama.LlamaModel;
import dev.canopy.natives.llama.ModelParams;

import java.nio.file.Path;
import java.util.Optional;

/** Embeddings through libllama (decision 0165): over a model libllama already runs, or over one it loads for them. */
public final class LlamaEmbeddings implements Embeddings {
    /** Where the embedder's libllama model comes from. */
    private sealed interface Source permits Borrowed, Loaded {}
    /** The model libllama runs for generation too: borrowed. */
    private record Borrowed(LlamaModel model) implements Source {}
    /** A file each embedder loads (memory-mapped, CPU only) and owns: for models another engine runs. */
    private record Loaded(Path file) implements Source {}

    private final Source source;
    private final PoolingChoice pooling;
    private final int contextTokens;
    private final int threads;

    private LlamaEmbeddings(Source source, PoolingChoice pooling, int contextTokens, int threads) {
        this.source = source;
        this.pooling = pooling;
        this.contextTokens = contextTokens;
        this.threads = threads;
    }

    /** Embeddings over {@code model} (borrowed: it outlives every embedder), or empty for a reranker. */
    public static Optional<Embeddings> over(LlamaModel model, int contextTokens, int threads) {
        return PoolingChoice.forDeclared(model.declaredPooling()).map(p -> new LlamaEmbeddings(new Borrowed(model), p, contextTokens, threads));
    }

    /**
     * Embeddings for a model another engine runs: each embedder loads {@code file} through libllama
     * on the CPU (memory-mapped, so its pages are shared with a mapping of the same file), with the
     * pooling {@code metadata} (a libllama model of the same file, loaded vocabulary-only) declares.
     */
    public static Optional<Embeddings> loading(Path file, LlamaModel metadata, int contextTokens, int threads) {
        return PoolingChoice.forDeclared(metadata.declaredPooling()).map(p -> new LlamaEmbeddings(new Loaded(file), p, contextTokens, threads));
    }

    @Override public PoolingChoice pooling() { return pooling; }

    @Override
    public Embedder open() {
        return switch (source) {
            case Borrowed b -> LlamaEmbedder.open(b.model(), pooling, contextTokens, threads);
            case Loaded l -> {
                LlamaModel model = LlamaModel.load(l.file(), ModelParams.cpu());
                try {
                    yield new ModelOwningEmbedder(model, LlamaEmbedder.open(model, pooling, contextTokens, threads));
                } catch (RuntimeException e) {
                    model.close();
                    throw e;
                }
            }
        };
    }

    /** An embedder that owns the libllama model it embeds with, and frees it after the embedder's context. */
    private static final class ModelOwningEmbedder implements Embedder {
        private final LlamaModel model;       // owned
        private final LlamaEmbedder embedder; // owned, borrows model

        ModelOwningEmbedder(LlamaModel model, LlamaEmbedder embedder) {
            this.model = model;
            this.embedder = embedder;
        }

        @Override public int dimensions() { return embedder.dimensions(); }
        @Override public int maxTokens() { return embedder.maxTokens(); }
        @Override public PoolingChoice pooling() { return embedder.pooling(); }
        @Override public int[] tokenize(String text) { return embedder.tokenize(text); }
        @Override public float[] embed(int[] tokens) { return embedder.embed(tokens); }

        @Override
        public synchronized void close() {
            embedder.close();
            model.close();
        }
    }
}
