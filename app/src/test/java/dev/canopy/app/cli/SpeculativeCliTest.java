package dev.canopy.app.cli;

import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --speculative off|lookup} and {@code --draft-max}: the same answer, the acceptance rate, clear errors. */
class SpeculativeCliTest {
    private static final String STORY = "Once upon a time, in a small village by the sea, there lived a fisherman. "
            + "Once upon a time, in a small village by the sea, there lived a fisherman.";
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny.gguf"));
    }

    private static String[] generate(String... extra) {
        String[] base = {"generate", "--model", model.toString(), "--prompt", STORY, "--max-tokens", "24", "--context", "512",
                "--threads", "2", "--chunk", "32"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return KvFlagsCliTest.run(all);
    }

    @Test
    void lookupGivesTheSameAnswerAndPrintsTheAcceptanceRate() {
        String[] plain = generate("--temperature", "0");
        String[] fast = generate("--temperature", "0", "--speculative", "lookup", "--draft-max", "6", "--stats");
        assertThat(fast[0]).as(fast[2]).isEqualTo("0");
        assertThat(fast[1]).isEqualTo(plain[1]);
        assertThat(fast[2]).doesNotContain("note:");
    }

    @Test
    void samplingSaysWhyItDoesNotSpeculate() {
        String[] r = generate("--speculative", "lookup");       // temperature 0.7 by default
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).contains("note:").contains("repetition penalties");
    }

    @Test
    void samplingWithoutAPenaltySpeculatesReproduciblyForASeed() {
        String[] a = generate("--temperature", "0.8", "--repeat-penalty", "1", "--seed", "5", "--speculative", "draft",
                "--draft-model", model.toString(), "--stats");
        String[] b = generate("--temperature", "0.8", "--repeat-penalty", "1", "--seed", "5", "--speculative", "draft",
                "--draft-model", model.toString(), "--stats");
        assertThat(a[0]).as(a[2]).isEqualTo("0");
        assertThat(a[2]).doesNotContain("note:").contains("speculative:").contains("accepted");
        assertThat(b[1]).as("the same seed, the same text").isEqualTo(a[1]);
        String[] zero = generate("--temperature", "0.8", "--repeat-penalty", "0");
        assertThat(zero[0]).isNotEqualTo("0");
        assertThat(zero[2]).contains("--repeat-penalty must be above 0").doesNotContain("\tat ");
    }

    @Test
    void summarizeSpeculatesWithTheSameSummary() throws Exception {
        StringBuilder text = new StringBuilder("# Harvest report\n\n");
        for (int i = 0; i < 12; i++) text.append("The orchard gave ").append(i).append(" baskets of apples in week ").append(i).append(".\n\n");
        Path doc = java.nio.file.Files.writeString(dir.resolve("report.md"), text);
        String[] plain = summarize(doc, "plain.db");
        String[] fast = summarize(doc, "fast.db", "--batch", "1", "--speculative", "draft", "--draft-model", model.toString());
        assertThat(plain[0]).as(plain[2]).isEqualTo("0");
        assertThat(fast[0]).as(fast[2]).isEqualTo("0");
        assertThat(fast[1]).as("the same summary").isEqualTo(plain[1]).isNotBlank();
        assertThat(fast[2]).contains("note: speculative:").contains("guessed tokens accepted");
        assertThat(plain[2]).doesNotContain("speculative");
        String[] batched = summarize(doc, "batched.db", "--batch", "4", "--speculative", "lookup");
        assertThat(batched[0]).as(batched[2]).isEqualTo("0");
        assertThat(batched[2]).contains("batches of 4, which do not speculate");
    }

    @Test
    void summarizeNamesABadSpeculativeValueAndExitsNonZero() throws Exception {
        Path doc = java.nio.file.Files.writeString(dir.resolve("note.md"), "A short note about apples and pears.");
        String[] mode = summarize(doc, "bad.db", "--speculative", "fast");
        assertThat(mode[0]).isNotEqualTo("0");
        assertThat(mode[2]).contains("--speculative must be one of off, lookup").doesNotContain("\tat ");
        String[] noDraft = summarize(doc, "bad.db", "--speculative", "draft");
        assertThat(noDraft[0]).isNotEqualTo("0");
        assertThat(noDraft[2]).contains("--speculative draft needs --draft-model FILE");
        String[] max = summarize(doc, "bad.db", "--speculative", "lookup", "--draft-max", "99");
        assertThat(max[0]).isNotEqualTo("0");
        assertThat(max[2]).contains("--draft-max must be between 1 and");
    }

    private static String[] summarize(Path doc, String db, String... extra) {
        String[] base = {"summarize", doc.toString(), "--model", model.toString(), "--db", dir.resolve(db).toString(),
                "--chunk-tokens", "128", "--part-tokens", "16", "--merge-tokens", "16", "--final-tokens", "32",
                "--quiet", "--threads", "2", "--context", "512"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return KvFlagsCliTest.run(all);
    }

    @Test
    void badValuesAreOneClearLine() {
        String[] mode = generate("--temperature", "0", "--speculative", "fast");
        assertThat(mode[0]).isNotEqualTo("0");
        assertThat(mode[2]).contains("--speculative must be one of off, lookup").doesNotContain("\tat ");
        String[] max = generate("--temperature", "0", "--speculative", "lookup", "--draft-max", "0");
        assertThat(max[0]).isNotEqualTo("0");
        assertThat(max[2]).contains("--draft-max must be between 1 and").doesNotContain("\tat ");
        String[] noDraft = generate("--temperature", "0", "--speculative", "draft");
        assertThat(noDraft[0]).isNotEqualTo("0");
        assertThat(noDraft[2]).contains("--speculative draft needs --draft-model FILE");
    }

    @Test
    void aModelDraftsForItself() {
        String[] plain = generate("--temperature", "0");
        String[] self = generate("--temperature", "0", "--speculative", "draft", "--draft-model", model.toString(), "--stats");
        assertThat(self[0]).as(self[2]).isEqualTo("0");
        assertThat(self[1]).isEqualTo(plain[1]);
        assertThat(self[2]).contains("speculative:").contains("accepted");
    }
}
