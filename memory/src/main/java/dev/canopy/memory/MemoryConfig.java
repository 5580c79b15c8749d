package dev.canopy.memory;

import dev.canopy.memory.extract.CellExtractor;
import dev.canopy.memory.extract.LlmCellExtractor;
import dev.canopy.memory.extract.TurnsAsLeavesExtractor;
import dev.canopy.memory.fact.Deduplicator;
import dev.canopy.memory.fact.LlmDuplicateJudge;
import dev.canopy.memory.forest.ForestConfig;
import dev.canopy.memory.llm.Embedder;
import dev.canopy.memory.llm.TextGenerator;
import dev.canopy.memory.retrieve.RecallOptions;
import dev.canopy.memory.retrieve.TokenCounter;
import dev.canopy.memory.summarize.ExtractiveSummarizer;
import dev.canopy.memory.summarize.LlmSummarizer;
import dev.canopy.memory.summarize.Summarizer;
import java.time.InstantSource;
import java.util.Optional;

/**
 * How a {@link MemoryStore} reaches models and how it builds and reads its forest.
 * {@link #noModel()} works without any model; {@link #withModel} wires the LLM ports.
 */
public record MemoryConfig(CellExtractor extractor, Summarizer summarizer, Optional<Embedder> embedder,
                           Deduplicator deduplicator, ForestConfig forest, RecallOptions recall,
                           TokenCounter tokenCounter, InstantSource clock) {

    /** Raw turns as facts, extractive summaries, no embeddings. */
    public static MemoryConfig noModel() {
        return new MemoryConfig(new TurnsAsLeavesExtractor(), new ExtractiveSummarizer(), Optional.empty(),
                Deduplicator.defaults(), ForestConfig.defaults(), RecallOptions.defaults(), TokenCounter.estimate(),
                InstantSource.system());
    }

    /**
     * Extraction, summaries and duplicate confirmation by the model (batches of {@code batchSize}
     * parallel sequences), optional embeddings.
     */
    public static MemoryConfig withModel(TextGenerator generator, int batchSize, Optional<Embedder> embedder,
                                         TokenCounter tokenCounter) {
        return new MemoryConfig(new LlmCellExtractor(generator, batchSize, 768),
                new LlmSummarizer(generator, batchSize, 160), embedder,
                new Deduplicator(0.9, 0.93, Optional.of(new LlmDuplicateJudge(generator))), ForestConfig.defaults(),
                RecallOptions.defaults(), tokenCounter, InstantSource.system());
    }

    public MemoryConfig withExtractor(CellExtractor e) {
        return new MemoryConfig(e, summarizer, embedder, deduplicator, forest, recall, tokenCounter, clock);
    }

    public MemoryConfig withSummarizer(Summarizer s) {
        return new MemoryConfig(extractor, s, embedder, deduplicator, forest, recall, tokenCounter, clock);
    }

    public MemoryConfig withForest(ForestConfig f) {
        return new MemoryConfig(extractor, summarizer, embedder, deduplicator, f, recall, tokenCounter, clock);
    }

    public MemoryConfig withRecall(RecallOptions r) {
        return new MemoryConfig(extractor, summarizer, embedder, deduplicator, forest, r, tokenCounter, clock);
    }

    public MemoryConfig withClock(InstantSource c) {
        return new MemoryConfig(extractor, summarizer, embedder, deduplicator, forest, recall, tokenCounter, c);
    }
}
