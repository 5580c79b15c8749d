package dev.canopy.app.summarize;

import dev.canopy.engine.EngineKind;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.GenerationStats;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.ModelInfo;
import dev.canopy.engine.StopReason;
import dev.canopy.engine.Tokenizer;
import dev.canopy.natives.llama.ChatMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model that counts instead of computing, to isolate the pipeline's bookkeeping: a token is a word or
 * a punctuation mark; a chunk prompt is answered with "Summary of part N", a merge with "Merged", the
 * final pass with "Final". Every prompt it receives is recorded.
 */
final class FakeModel implements InferenceModel {
    static final Pattern PART = Pattern.compile("This is part (\\d+) of");
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+|[^\\s\\p{L}\\p{N}]");

    final List<String> prompts = new ArrayList<>();
    final List<Integer> batchSizes = new ArrayList<>();
    int generateCalls;
    int contextTokens;
    /** Decides each answer's stop reason from (prompt, maxTokens); default: finished. */
    BiFunction<String, Integer, StopReason> stopReason = (p, max) -> StopReason.END_OF_TEXT;
    /** The answer to a merge prompt. */
    String mergeText = "Merged parts.\n\nMore merged detail.";
    /** Runs before each batch is answered (a test can cancel here, "during" the batch). */
    Runnable beforeBatch = () -> {};

    FakeModel(int contextTokens) {
        this.contextTokens = contextTokens;
    }

    static int count(String text) {
        Matcher m = TOKEN.matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    /** How many chunk prompts asked for part {@code n} (1-based). */
    long promptsForPart(int n) {
        return prompts.stream().filter(p -> { Matcher m = PART.matcher(p); return m.find() && Integer.parseInt(m.group(1)) == n; }).count();
    }

    long mergePrompts() {
        return prompts.stream().filter(p -> p.contains("Merge them")).count();
    }

    long finalPrompts() {
        return prompts.stream().filter(p -> p.contains("Below are summaries of the document")).count();
    }

    GenerationResult answer(GenerationRequest r) {
        prompts.add(r.prompt());
        if (r.cancel().isCancelled()) return result("", StopReason.CANCELLED, r);
        Matcher m = PART.matcher(r.prompt());
        String text;
        if (m.find()) text = "Summary of part " + m.group(1) + ".";
        else if (r.prompt().contains("Merge them")) text = mergeText;
        else text = "Final summary.\n- A point.";
        return result(text, stopReason.apply(r.prompt(), r.maxTokens()), r);
    }

    private GenerationResult result(String text, StopReason reason, GenerationRequest r) {
        int[] tokens = new int[Math.min(count(text), r.maxTokens())];
        int p = count(r.prompt());
        return new GenerationResult(text, tokens, reason, new GenerationStats(p, p, 1_000_000, tokens.length, 1_000_000, 1_000_000));
    }

    @Override public ModelInfo info() {
        return new ModelInfo(null, "fake", "fake", 1, 8, 1, 1, contextTokens, 10000, "F32", 1000, 0, 100, true,
                dev.canopy.engine.KvFootprint.dense(1, 8));
    }
    @Override public EngineKind engine() { return EngineKind.LLAMA; }
    @Override public Optional<String> notice() { return Optional.empty(); }

    @Override
    public Tokenizer tokenizer() {
        return new Tokenizer() {
            @Override public int[] encode(String text, boolean addBos) { return new int[FakeModel.count(text) + (addBos ? 1 : 0)]; }
            @Override public String decode(int[] tokens) { return ""; }
            @Override public int vocabSize() { return 100; }
            @Override public boolean isEndOfGeneration(int token) { return false; }
        };
    }

    @Override
    public String formatChat(List<ChatMessage> messages, boolean addAssistantTurn) {
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : messages) sb.append("<").append(m.role()).append(">\n").append(m.content()).append("\n");
        if (addAssistantTurn) sb.append("<assistant>\n");
        return sb.toString();
    }

    @Override
    public int contextTokens() {
        return contextTokens;
    }

    @Override
    public GenerationSession openSession() {
        return new GenerationSession() {
            @Override
            public GenerationResult generate(GenerationRequest request, GenerationListener listener) {
                generateCalls++;
                GenerationResult r = answer(request);
                listener.onText(r.text());
                return r;
            }

            @Override
            public List<GenerationResult> generateBatch(List<GenerationRequest> requests) {
                batchSizes.add(requests.size());
                beforeBatch.run();
                for (GenerationRequest r : requests) {
                    if (count(r.prompt()) + r.maxTokens() + 1 > contextTokens) {
                        throw new IllegalStateException("prompt of " + count(r.prompt()) + " + " + r.maxTokens() + " exceeds " + contextTokens);
                    }
                }
                return requests.stream().map(FakeModel.this::answer).toList();
            }

            @Override public int contextTokens() { return contextTokens; }
            @Override public int usedTokens() { return 0; }
            @Override public void reset() {}
            @Override public void close() {}
        };
    }

    @Override public void close() {}
}
