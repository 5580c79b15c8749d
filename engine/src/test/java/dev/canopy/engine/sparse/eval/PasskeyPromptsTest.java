package dev.canopy.engine.sparse.eval;

import dev.canopy.natives.llama.LlamaModel;
import dev.canopy.natives.llama.LlamaVocab;
import dev.canopy.natives.llama.ModelParams;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PasskeyPromptsTest {
    static final Path MODEL = Path.of("../../shared/models/passkey-llama-6l-384.gguf");
    static final ToIntFunction<String> WORDS = t -> t.split("\\s+").length; // a stand-in tokenizer

    @Test
    void promptsAreDeterministicAndWellFormed() {
        PasskeyPrompts gen = new PasskeyPrompts(WORDS, PasskeyPrompts.LABEL_CANDIDATES);
        PasskeyPrompt a = gen.generate(2000, 3, 42, 0);
        assertThat(gen.generate(2000, 3, 42, 0)).isEqualTo(a);
        assertThat(gen.generate(2000, 3, 43, 0).text()).isNotEqualTo(a.text());
        assertThat(a.facts()).hasSize(3).extracting(PasskeyPrompt.Fact::label).doesNotHaveDuplicates();
        for (PasskeyPrompt.Fact f : a.facts()) assertThat(a.text()).contains(f.sentence());
        assertThat(a.text()).endsWith("What is the " + a.asked().label() + " code? The " + a.asked().label() + " code is");
        assertThat(a.asked().code()).matches("[1-9][0-9]{4}");
        assertThat(a.tokens()).isBetween(2000 - 40, 2000);
        assertThat(a.answeredBy(" " + a.asked().code() + ".")).isTrue();
        assertThat(a.answeredBy(" " + a.asked().code() + "7")).isFalse();
        PasskeyPrompt.Fact other = a.facts().stream().filter(f -> f != a.asked()).findFirst().orElseThrow();
        assertThat(a.confusedBy(" " + other.code() + ".")).isTrue();
    }

    @Test
    void suiteCoversEveryCell() {
        List<PasskeyPrompt> suite = new PasskeyPrompts(WORDS, PasskeyPrompts.LABEL_CANDIDATES)
                .suite(new int[] {1000, 2000}, new int[] {1, 3}, 2, 7);
        assertThat(suite).hasSize(8).extracting(PasskeyPrompt::id).doesNotHaveDuplicates();
        assertThat(suite.stream().filter(p -> p.facts().size() == 3)).hasSize(4);
    }

    /** With the passkey model's own tokenizer: labels are single tokens, lengths hit 4K/8K/16K. */
    @Test
    void realTokenizerLengthsAndSingleTokenLabels() {
        assumeTrue(Files.exists(MODEL), "passkey model not present");
        try (LlamaModel model = LlamaModel.load(MODEL, ModelParams.vocab())) {
            LlamaVocab vocab = model.vocab();
            ToIntFunction<String> count = t -> vocab.tokenize(t, false, false).length;
            List<String> labels = PasskeyPrompts.singleTokenLabels(count);
            assertThat(labels).hasSizeGreaterThan(20);
            for (String l : labels) assertThat(vocab.tokenize(" " + l, false, false)).hasSizeLessThanOrEqualTo(2);
            PasskeyPrompts gen = new PasskeyPrompts(count, labels);
            for (int target : new int[] {4096, 8192, 16384}) {
                PasskeyPrompt p = gen.generate(target, 3, target, 0);
                assertThat(vocab.tokenize(p.text(), true, false).length).isEqualTo(p.tokens()).isBetween(target - 48, target);
            }
        }
    }
}
