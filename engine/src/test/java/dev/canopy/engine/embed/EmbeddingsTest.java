package dev.canopy.engine.embed;

import dev.canopy.engine.EngineKind;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.InferenceModel;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import dev.canopy.natives.llama.Pooling;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Text embeddings through libllama on both engines, over tiny random-weight llamas (decision 0165). */
class EmbeddingsTest {
    @TempDir static Path dir;
    static Path plain;

    @BeforeAll
    static void write() throws Exception {
        plain = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny.gguf"));
    }

    static InferenceModel load(Path file, EngineKind engine) {
        return Engines.load(file, EngineOptions.defaults().withEngine(engine).withContext(512).withThreads(1));
    }

    static double norm(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        return Math.sqrt(s);
    }

    @Test
    void aDecoderWithoutDeclaredPoolingEmbedsByMeanUnitLengthAndRepeatably() {
        try (InferenceModel model = load(plain, EngineKind.LLAMA); Embedder e = model.embeddings().orElseThrow().open()) {
            assertThat(e.pooling()).isEqualTo(new PoolingChoice(Pooling.MEAN, PoolingChoice.Origin.MEAN_BY_DEFAULT));
            assertThat(e.dimensions()).isEqualTo(64);
            assertThat(e.maxTokens()).isEqualTo(512);
            float[] a = e.embed(e.tokenize("The river runs past the old mill."));
            float[] b = e.embed(e.tokenize("A small red house stands on the hill."));
            float[] again = e.embed(e.tokenize("The river runs past the old mill."));
            assertThat(a).hasSize(64);
            assertThat(norm(a)).isCloseTo(1.0, within(1e-5));
            assertThat(norm(b)).isCloseTo(1.0, within(1e-5));
            assertThat(again).containsExactly(a);          // the KV of the input before is forgotten
            assertThat(b).isNotEqualTo(a);
        }
    }

    @Test
    void canopysEngineEmbedsThroughLibllamaLikeTheLlamaEngine() {
        try (InferenceModel llama = load(plain, EngineKind.LLAMA); InferenceModel canopy = load(plain, EngineKind.CANOPY);
             Embedder viaLlama = llama.embeddings().orElseThrow().open(); Embedder viaCanopy = canopy.embeddings().orElseThrow().open()) {
            assertThat(canopy.engine()).isEqualTo(EngineKind.CANOPY);
            int[] tokens = viaCanopy.tokenize("Embeddings of the same file agree.");
            assertThat(tokens).containsExactly(viaLlama.tokenize("Embeddings of the same file agree."));
            float[] c = viaCanopy.embed(tokens);
            float[] l = viaLlama.embed(tokens);
            for (int i = 0; i < c.length; i++) assertThat(c[i]).isCloseTo(l[i], within(1e-5f));
        }
    }

    @Test
    void aDeclaredPoolingIsUsedAndGivesOtherVectorsThanMean() throws Exception {
        Path last = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny-last.gguf"),
                (w, nVocab) -> w.putU32("llama.pooling_type", Pooling.LAST.code()));
        try (InferenceModel byLast = load(last, EngineKind.CANOPY); InferenceModel byMean = load(plain, EngineKind.LLAMA);
             Embedder l = byLast.embeddings().orElseThrow().open(); Embedder m = byMean.embeddings().orElseThrow().open()) {
            assertThat(byLast.embeddings().orElseThrow().pooling()).isEqualTo(new PoolingChoice(Pooling.LAST, PoolingChoice.Origin.DECLARED));
            assertThat(l.pooling().pooling()).isEqualTo(Pooling.LAST);
            int[] tokens = l.tokenize("Same weights, another pooling.");
            float[] lastVector = l.embed(tokens);
            assertThat(norm(lastVector)).isCloseTo(1.0, within(1e-5));
            assertThat(lastVector).isNotEqualTo(m.embed(tokens));
        }
    }

    @Test
    void aRerankerCannotEmbed() throws Exception {
        Path rank = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny-rank.gguf"),
                (w, nVocab) -> w.putU32("llama.pooling_type", Pooling.RANK.code()));
        try (InferenceModel model = load(rank, EngineKind.LLAMA)) {
            assertThat(model.embeddings()).isEmpty();
        }
    }

    @Test
    void anInputLongerThanTheEmbedderTakesIsRefused() {
        try (InferenceModel model = load(plain, EngineKind.LLAMA); Embedder e = model.embeddings().orElseThrow().open()) {
            assertThatThrownBy(() -> e.embed(new int[513])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("513");
            assertThatThrownBy(() -> e.embed(new int[0])).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void poolingChoiceFollowsTheDeclaration() {
        assertThat(PoolingChoice.forDeclared(java.util.Optional.empty()).orElseThrow().origin()).isEqualTo(PoolingChoice.Origin.MEAN_BY_DEFAULT);
        assertThat(PoolingChoice.forDeclared(java.util.Optional.of(Pooling.NONE)).orElseThrow().pooling()).isEqualTo(Pooling.MEAN);
        assertThat(PoolingChoice.forDeclared(java.util.Optional.of(Pooling.CLS)).orElseThrow())
                .isEqualTo(new PoolingChoice(Pooling.CLS, PoolingChoice.Origin.DECLARED));
        assertThat(PoolingChoice.forDeclared(java.util.Optional.of(Pooling.RANK))).isEmpty();
    }
}
