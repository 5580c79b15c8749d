package dev.canopy.memory.summarize;

import dev.canopy.memory.llm.TextGenerator;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Node summaries written by the model: the dirty nodes of one level go out as parallel sequences
 * of one batch (chunks of {@code batchSize}). A blank answer falls back to the extractive summary.
 */
public final class LlmSummarizer implements Summarizer {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final TextGenerator generator;
    private final int batchSize;
    private final int maxTokens;
    private final ExtractiveSummarizer fallback = new ExtractiveSummarizer();

    public LlmSummarizer(TextGenerator generator, int batchSize, int maxTokens) {
        this.generator = generator;
        this.batchSize = batchSize;
        this.maxTokens = maxTokens;
    }

    @Override
    public List<String> summarize(List<SummaryRequest> requests) {
        List<String> out = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i += batchSize) {
            List<SummaryRequest> chunk = requests.subList(i, Math.min(requests.size(), i + batchSize));
            List<String> answers = generator.generateBatch(chunk.stream().map(LlmSummarizer::prompt).toList(),
                    null, maxTokens);
            for (int j = 0; j < chunk.size(); j++) {
                String a = j < answers.size() && answers.get(j) != null ? answers.get(j).strip() : "";
                out.add(a.isEmpty() ? fallback.summarizeTexts(chunk.get(j).children()) : a);
            }
        }
        return out;
    }

    /** The prompt for one node. */
    public static String prompt(SummaryRequest r) {
        StringBuilder sb = new StringBuilder();
        sb.append("Summarize the following memories about \"").append(r.treeLabel()).append("\" from ")
                .append(DAY.format(r.from())).append(" to ").append(DAY.format(r.to()))
                .append(" in at most three sentences. Keep names, dates, places and numbers. ")
                .append("Write plain text, third person, no preamble.\n\n");
        for (String c : r.children()) {
            sb.append("- ").append(c.replace('\n', ' ')).append('\n');
        }
        return sb.toString();
    }
}
