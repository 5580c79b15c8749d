package dev.canopy.tools.engine.sparse.eval;

import dev.canopy.engine.Tokenizer;
import dev.canopy.engine.llama.LlamaTokenizer;
import dev.canopy.natives.llama.LlamaModel;
import dev.canopy.natives.llama.ModelParams;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PasskeyPromptsTest {
    static final Path MODEL = Path.of("../../shared/models/passkey-llama-6l-384.gguf");
    static final Path SAMPLE = Path.of("../../shared/datasets/passkey/sample.jsonl");
    static final ToIntFunction<String> WORDS = t -> t.split("\\s+").length; // a stand-in tokenizer
    static final List<String> LABELS = List.of("apple", "beach", "bread", "chair", "cloud", "dance");
    /** A filler sentence as make_prompts.py writes it. */
    static final Pattern FILLER = Pattern.compile("The (\\w+) (\\w+) (\\w+) the (\\w+) (\\w+)\\.");
    static final Pattern FACT = Pattern.compile("The [a-z]{5,8} code is [0-9]{5}\\.");

    @Test
    void wordListsAreTheReadmes() {
        assertThat(PasskeyPrompts.ADJECTIVES).hasSize(20).doesNotHaveDuplicates();
        assertThat(PasskeyPrompts.NOUNS).hasSize(32).doesNotHaveDuplicates()
                .doesNotContain("harbor", "airport", "theater", "bakery");
        assertThat(PasskeyPrompts.VERBS).containsExactly("sees", "finds", "builds", "leaves", "follows", "needs", "wants");
    }

    @Test
    void promptsAreDeterministicAndWellFormed() {
        PasskeyPrompts gen = new PasskeyPrompts(WORDS, LABELS);
        PasskeyPrompt a = gen.generate(2000, 3, 42, 0);
        assertThat(gen.generate(2000, 3, 42, 0)).isEqualTo(a);
        assertThat(gen.generate(2000, 3, 43, 0).text()).isNotEqualTo(a.text());
        assertThat(a.facts()).hasSize(3).extracting(PasskeyPrompt.Fact::label).doesNotHaveDuplicates();
        for (PasskeyPrompt.Fact f : a.facts()) assertThat(a.text()).contains(f.sentence());
        assertThat(a.text()).endsWith("What is the " + a.asked().label() + " code? The " + a.asked().label() + " code is");
        assertThat(a.tokens()).isBetween(2000 - 40, 2000);
        assertThat(a.answeredBy(" " + a.asked().code() + ".")).isTrue();
        assertThat(a.answeredBy(" " + a.asked().code() + "7")).isFalse();
        PasskeyPrompt.Fact other = a.facts().stream().filter(f -> f != a.asked()).findFirst().orElseThrow();
        assertThat(a.confusedBy(" " + other.code() + ".")).isTrue();
        // sentences joined by single spaces; each a filler sentence of the README's words or a fact
        String body = a.text().substring(0, a.text().indexOf(" What is the "));
        for (String s : body.split("(?<=\\.) ")) {
            var m = FILLER.matcher(s);
            if (FACT.matcher(s).matches()) continue;
            assertThat(m.matches()).as(s).isTrue();
            assertThat(PasskeyPrompts.ADJECTIVES).contains(m.group(1), m.group(4));
            assertThat(PasskeyPrompts.NOUNS).contains(m.group(2), m.group(5));
            assertThat(PasskeyPrompts.VERBS).contains(m.group(3));
        }
    }

    @Test
    void codesAreAnyFiveDigitsLeadingZeroIncluded() {
        PasskeyPrompts gen = new PasskeyPrompts(WORDS, LABELS);
        List<String> codes = gen.suite(new int[] {300}, new int[] {4}, 40, 3).stream()
                .flatMap(p -> p.facts().stream()).map(PasskeyPrompt.Fact::code).toList();
        assertThat(codes).allMatch(c -> c.matches("[0-9]{5}"));
        assertThat(codes).anyMatch(c -> c.startsWith("0")); // 160 codes: P(no leading 0) = 0.9^160
    }

    @Test
    void labelsMustFollowTheRule() {
        assertThatThrownBy(() -> new PasskeyPrompts(WORDS, List.of("apple", "beach", "bread", "church")))
                .hasMessageContaining("church");
        assertThatThrownBy(() -> new PasskeyPrompts(WORDS, List.of("apple", "beach", "bread", "Chair")))
                .hasMessageContaining("Chair");
    }

    @Test
    void suiteCoversEveryCell() {
        List<PasskeyPrompt> suite = new PasskeyPrompts(WORDS, LABELS).suite(new int[] {1000, 2000}, new int[] {1, 3}, 2, 7);
        assertThat(suite).hasSize(8).extracting(PasskeyPrompt::id).doesNotHaveDuplicates();
        assertThat(suite.stream().filter(p -> p.facts().size() == 3)).hasSize(4);
    }

    /**
     * With the passkey model's own tokenizer: every filler word and every label is one token where it
     * stands in a sentence, filler sentences are 8 tokens, lengths hit 4K/8K/16K, and the labels are
     * the reference generator's (sample.jsonl's labels are among them).
     */
    @Test
    void realTokenizerSingleTokenWordsAndLengths() {
        assumeTrue(Files.exists(MODEL), "passkey model not present");
        try (LlamaModel model = LlamaModel.load(MODEL, ModelParams.vocab())) {
            Tokenizer tok = new LlamaTokenizer(model.vocab());
            ToIntFunction<String> count = tok::count;
            for (String w : PasskeyPrompts.FILLER_WORDS) assertThat(PasskeyPrompts.singleToken(count, w)).as(w).isTrue();
            for (String w : List.of("harbor", "airport", "theater", "bakery", "paints", "visits", "watches")) {
                assertThat(PasskeyPrompts.singleToken(count, w)).as(w).isFalse(); // why the README dropped them
            }
            PasskeyPrompts gen = PasskeyPrompts.forModel(tok);
            assertThat(gen.labels()).hasSizeGreaterThan(1000);
            for (String l : gen.labels()) {
                assertThat(l).matches("[a-z]{5,8}");
                assertThat(PasskeyPrompts.FILLER_WORDS).doesNotContain(l);
                assertThat(tok.encode("The " + l + " code is 12345.", false)).as(l)
                        .hasSize(tok.encode("The code is 12345.", false).length + 1);
            }
            if (Files.exists(SAMPLE)) {
                assertThat(gen.labels()).containsAll(PasskeySamples.read(SAMPLE).stream()
                        .flatMap(s -> s.prompt().facts().stream()).map(PasskeyPrompt.Fact::label).toList());
            }
            for (int target : new int[] {4096, 8192, 16384}) {
                PasskeyPrompt p = gen.generate(target, 3, target, 0);
                assertThat(tok.encode(p.text(), true).length).isEqualTo(p.tokens()).isBetween(target - 48, target);
                if (target == 4096) {
                    for (String s : p.text().split("(?<=\\.) ")) {
                        if (FILLER.matcher(s).matches()) assertThat(tok.count(s)).as(s).isEqualTo(8);
                    }
                }
            }
        }
    }

    @Test
    void aModelThatSplitsAFillerWordIsRefusedByName() {
        Tokenizer splitsSees = new Tokenizer() {
            @Override public int[] encode(String text, boolean addBos) {
                return new int[WORDS.applyAsInt(text) + (text.contains(" sees ") ? 1 : 0)];
            }
            @Override public String decode(int[] tokens) { return "apple"; }
            @Override public int vocabSize() { return 10; }
            @Override public boolean isEndOfGeneration(int token) { return false; }
        };
        assertThatThrownBy(() -> PasskeyPrompts.forModel(splitsSees)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[sees]");
        assertThat(Set.copyOf(PasskeyPrompts.FILLER_WORDS)).contains("sees");
    }
}
