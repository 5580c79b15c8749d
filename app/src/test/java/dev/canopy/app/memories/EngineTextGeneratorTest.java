package dev.canopy.app.memories;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.EngineKind;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.memory.extract.ExtractionFormat;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The memory port over a real random-weight llama GGUF on both engines: the text is nonsense, but
 * there is one completion per prompt, in order, and a grammar holds.
 */
class EngineTextGeneratorTest {
    /** Bounded, so a complete answer always fits in the token budget. */
    static final String SMALL_JSON = """
            root ::= "{" ws "\\"name\\"" ws ":" ws "\\"" [a-z]{1,6} "\\"" ws "," ws "\\"n\\"" ws ":" ws [0-9]{1,3} ws "}"
            ws ::= [ ]{0,2}
            """;

    static final List<String> PROMPTS = List.of("Tell me about the sea.", "What is two plus two?",
            "Name a city in Portugal.");

    @TempDir
    static Path dir;
    static Path file;

    @BeforeAll
    static void writeModel() throws Exception {
        file = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny-llama.gguf"));
    }

    static InferenceModel load(EngineKind engine) {
        return Engines.load(file, EngineOptions.defaults().withEngine(engine).withContext(1024).withChunk(64)
                .withThreads(1));
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void oneCompletionPerPromptInOrderAndGrammarConstrainedJsonParses(EngineKind engine) throws Exception {
        try (InferenceModel m = load(engine); GenerationSession s = m.openSession()) {
            EngineTextGenerator gen = new EngineTextGenerator(m, s);
            List<String> batch = gen.generateBatch(PROMPTS, SMALL_JSON, 48);
            assertThat(batch).hasSize(PROMPTS.size());
            for (int i = 0; i < PROMPTS.size(); i++) {
                assertThat(batch.get(i)).as("prompt %d alone gives the same answer as in the batch", i)
                        .isEqualTo(gen.generateBatch(List.of(PROMPTS.get(i)), SMALL_JSON, 48).getFirst());
                JsonNode json = new ObjectMapper().readTree(batch.get(i));
                assertThat(json.get("name").asText()).as(batch.get(i)).matches("[a-z]{1,6}");
                assertThat(json.get("n").isInt()).as(batch.get(i)).isTrue();
            }
            assertThat(s.usedTokens()).as("the conversation KV is untouched").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void theExtractionGrammarIsAcceptedAndShapesTheAnswer(EngineKind engine) {
        try (InferenceModel m = load(engine); GenerationSession s = m.openSession()) {
            List<String> out = new EngineTextGenerator(m, s).generateBatch(PROMPTS.subList(0, 2), ExtractionFormat.GBNF, 48);
            assertThat(out).hasSize(2);
            for (String a : out) {
                assertThat(a.replaceAll("\\s", "")).as(a).startsWith("{\"summary\":\"");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void freeTextWithoutAGrammarNoPromptsAndABadBudget(EngineKind engine) {
        try (InferenceModel m = load(engine); GenerationSession s = m.openSession()) {
            EngineTextGenerator gen = new EngineTextGenerator(m, s);
            assertThat(gen.generateBatch(List.of(), null, 8)).isEmpty();
            assertThat(gen.generateBatch(PROMPTS.subList(0, 1), null, 8)).hasSize(1);
            assertThatThrownBy(() -> gen.generateBatch(PROMPTS, null, 0)).hasMessageContaining("maxTokens");
        }
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void aCancelledTokenStopsTheBatchWithoutPartialAnswers(EngineKind engine) {
        try (InferenceModel m = load(engine); GenerationSession s = m.openSession()) {
            CancellationToken cancel = new CancellationToken();
            EngineTextGenerator gen = new EngineTextGenerator(m, s, cancel);
            assertThat(gen.generateBatch(PROMPTS.subList(0, 1), null, 4)).hasSize(1);
            cancel.cancel();
            assertThatThrownBy(() -> gen.generateBatch(PROMPTS, null, 8)).isInstanceOf(CancellationException.class);
        }
    }
}
