package dev.canopy.memory.summarize;

import dev.canopy.memory.text.Terms;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The default without a model: picks the sentences that share the most words with the rest of the
 * node's children (classic centroid extraction), keeps their original order, within a length cap.
 * Deterministic and cheap.
 */
public final class ExtractiveSummarizer implements Summarizer {

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+|\\n+");

    private final int maxChars;

    public ExtractiveSummarizer(int maxChars) {
        this.maxChars = maxChars;
    }

    public ExtractiveSummarizer() {
        this(320);
    }

    @Override
    public boolean inProcess() {
        return true;
    }

    @Override
    public List<String> summarize(List<SummaryRequest> requests) {
        return requests.stream().map(r -> summarizeTexts(r.children())).toList();
    }

    public String summarizeTexts(List<String> texts) {
        List<String> sentences = new ArrayList<>();
        for (String t : texts) {
            for (String sentence : SENTENCE_END.split(t)) {
                if (!sentence.isBlank()) {
                    sentences.add(sentence.strip());
                }
            }
        }
        Map<String, Integer> freq = new HashMap<>();
        for (String sentence : sentences) {
            for (String w : Terms.contentWords(sentence)) {
                freq.merge(w, 1, Integer::sum);
            }
        }
        record Scored(int index, double score) {
        }
        List<Scored> scored = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            List<String> words = Terms.contentWords(sentences.get(i));
            double sum = 0;
            for (String w : words) {
                sum += freq.get(w);
            }
            scored.add(new Scored(i, words.isEmpty() ? 0 : sum / Math.sqrt(words.size() + 4.0)));
        }
        scored.sort(Comparator.comparingDouble((Scored x) -> -x.score()).thenComparingInt(Scored::index));
        List<Integer> chosen = new ArrayList<>();
        int used = 0;
        for (Scored sc : scored) {
            int len = sentences.get(sc.index()).length() + 1;
            if (used + len > maxChars && !chosen.isEmpty()) {
                continue;
            }
            chosen.add(sc.index());
            used += len;
            if (used >= maxChars) {
                break;
            }
        }
        chosen.sort(Integer::compare);
        StringBuilder sb = new StringBuilder();
        for (int i : chosen) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(sentences.get(i));
        }
        return sb.length() > maxChars ? sb.substring(0, maxChars - 1) + "…" : sb.toString();
    }
}
