package dev.canopy.memory.extract;

import dev.canopy.memory.llm.TextGenerator;
import java.util.ArrayList;
import java.util.List;

/**
 * Extraction by the model: one prompt per cell, all cells of a call decoded as parallel sequences
 * of one batch, the answer constrained by {@link ExtractionFormat#GBNF}. A cell whose answer cannot
 * be parsed falls back to its raw turns (marked {@code fallback}), so nothing said is lost.
 */
public final class LlmCellExtractor implements CellExtractor {

    private static final System.Logger LOG = System.getLogger(LlmCellExtractor.class.getName());

    private final TextGenerator generator;
    private final int batchSize;
    private final int maxTokens;

    public LlmCellExtractor(TextGenerator generator, int batchSize, int maxTokens) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1");
        }
        this.generator = generator;
        this.batchSize = batchSize;
        this.maxTokens = maxTokens;
    }

    public LlmCellExtractor(TextGenerator generator) {
        this(generator, 8, 768);
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public List<CellExtraction> extract(List<Cell> cells) {
        List<String> prompts = cells.stream().map(ExtractionFormat::prompt).toList();
        List<String> answers = generator.generateBatch(prompts, ExtractionFormat.GBNF, maxTokens);
        List<CellExtraction> out = new ArrayList<>(cells.size());
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            String answer = i < answers.size() ? answers.get(i) : null;
            try {
                out.add(ExtractionParser.parse(answer, cell));
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "Cell {0}: unusable extraction ({1}); keeping its turns",
                        new Object[] {cell.id(), e.getMessage()});
                CellExtraction raw = TurnsAsLeavesExtractor.extract(cell);
                out.add(new CellExtraction(cell.id(), raw.summary(), raw.facts(), true));
            }
        }
        return out;
    }
}
