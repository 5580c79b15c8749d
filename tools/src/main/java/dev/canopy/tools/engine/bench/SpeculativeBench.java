package dev.canopy.tools.engine.bench;

import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.Speculation;
import dev.canopy.tools.engine.sparse.eval.PasskeyPrompt;
import dev.canopy.tools.engine.sparse.eval.PasskeyPrompts;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Decode speed with and without speculative decoding in one run, on the same model and prompts:
 * a quoting task (a passage, then its first sentence again: the answer repeats the passage) and
 * passkey prompts (the answer's digits stand in the prompt). Greedy; each prompt is decoded plainly
 * and speculatively, alternating, {@code repeats} times, and the best decode speed of each is kept.
 * The answers are checked token for token.
 */
public final class SpeculativeBench {
    /** One prompt's result: decode tokens/s without and with speculation, their ratio, the acceptance rate. */
    public record Row(String task, int promptTokens, int tokens, double plainTps, double speculativeTps,
                      double acceptance, boolean identical, String note) {
        public double ratio() { return plainTps == 0 ? 0 : speculativeTps / plainTps; }
    }

    private SpeculativeBench() {}

    /**
     * Runs {@code quotes} quoting prompts of about {@code promptTokens} tokens and as many passkey
     * prompts (when the model's vocabulary holds the passkey words), {@code genTokens} decoded each.
     */
    public static List<Row> run(InferenceModel m, Speculation speculation, int[] promptTokens, int genTokens, int repeats,
                                PrintWriter log) {
        List<Row> rows = new ArrayList<>();
        PasskeyPrompts passkeys = null;
        try {
            passkeys = PasskeyPrompts.forModel(m.tokenizer());
        } catch (RuntimeException e) {
            log.println("passkey prompts skipped: " + e.getMessage());
        }
        for (int i = 0; i < promptTokens.length; i++) {
            String quote = quotingPrompt(m, promptTokens[i], 17L + i);
            rows.add(measure(m, "quote", quote, speculation, genTokens, repeats, log));
            if (passkeys != null) {
                PasskeyPrompt p = passkeys.generate(promptTokens[i], 1, 29L + i, i);
                rows.add(measure(m, "passkey", p.text(), speculation, genTokens, repeats, log));
            }
        }
        return rows;
    }

    /** Filler sentences of about {@code tokens} tokens, then the first sentence again. */
    static String quotingPrompt(InferenceModel m, int tokens, long seed) {
        Random r = new Random(seed);
        List<String> sentences = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        while (m.tokenizer().encode(text.toString(), true).length < tokens * 3 / 4) {
            String s = "The " + pick(r, PasskeyPrompts.ADJECTIVES) + " " + pick(r, PasskeyPrompts.NOUNS) + " "
                    + pick(r, PasskeyPrompts.VERBS) + " the " + pick(r, PasskeyPrompts.ADJECTIVES) + " " + pick(r, PasskeyPrompts.NOUNS) + ".";
            sentences.add(s);
            if (!text.isEmpty()) text.append(' ');
            text.append(s);
        }
        return text + "\n\n" + sentences.getFirst();
    }

    private static String pick(Random r, List<String> words) {
        return words.get(r.nextInt(words.size()));
    }

    private static Row measure(InferenceModel m, String task, String prompt, Speculation speculation, int genTokens, int repeats,
                               PrintWriter log) {
        double plainBest = 0, specBest = 0, acceptance = 0;
        int[] plainTokens = null, specTokens = null;
        int promptTokens = 0;
        String note = null;
        try (GenerationSession plain = m.openSession(); GenerationSession fast = m.openSession()) {
            for (int r = 0; r < repeats; r++) {
                GenerationResult a = plain.generate(GenerationRequest.greedy(prompt, genTokens), GenerationListener.NONE);
                GenerationResult b = fast.generate(GenerationRequest.greedy(prompt, genTokens).withSpeculation(speculation),
                        GenerationListener.NONE);
                plainBest = Math.max(plainBest, a.stats().decodeTokensPerSecond());
                specBest = Math.max(specBest, b.stats().decodeTokensPerSecond());
                acceptance = b.stats().acceptanceRate();
                plainTokens = a.tokens();
                specTokens = b.tokens();
                promptTokens = a.stats().promptTokens();
                note = b.stats().speculationNote();
            }
        }
        Row row = new Row(task, promptTokens, plainTokens.length, plainBest, specBest, acceptance,
                Arrays.equals(plainTokens, specTokens), note);
        log.printf(Locale.ROOT, "%-8s prompt %6d  decode %4d tokens: plain %8.1f tok/s, %s %8.1f tok/s, x%.2f, acceptance %.0f%%%s%n",
                task, row.promptTokens(), row.tokens(), plainBest, speculation.mode().cliName(), specBest, row.ratio(),
                100 * acceptance, row.identical() ? "" : "  DIFFERENT TOKENS");
        if (note != null) log.println("  note: " + note);
        log.flush();
        return row;
    }

    /** The rows as a table with the geometric mean ratio per task. */
    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-8s %8s %7s %12s %12s %7s %10s %s%n",
                "task", "prompt", "tokens", "plain tok/s", "spec tok/s", "ratio", "accepted", "same tokens"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-8s %8d %7d %12.1f %12.1f %7.2f %9.0f%% %s%n", r.task(), r.promptTokens(), r.tokens(),
                    r.plainTps(), r.speculativeTps(), r.ratio(), 100 * r.acceptance(), r.identical() ? "yes" : "NO"));
        }
        for (String task : List.of("quote", "passkey")) {
            double logSum = 0;
            int n = 0;
            for (Row r : rows) if (r.task().equals(task) && r.ratio() > 0) { logSum += Math.log(r.ratio()); n++; }
            if (n > 0) sb.append(String.format(Locale.ROOT, "%s: decode x%.2f (geometric mean of %d)%n", task, Math.exp(logSum / n), n));
        }
        return sb.toString();
    }
}
