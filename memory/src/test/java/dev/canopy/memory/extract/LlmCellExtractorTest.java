package dev.canopy.memory.extract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.memory.conversation.Role;
import dev.canopy.memory.fact.FactRole;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LlmCellExtractorTest {

    private static Cell cell(long id, String a, String b) {
        Instant t = Instant.parse("2024-05-02T10:00:00Z");
        return new Cell(id, 1, 1, t, t, List.of(new Turn(id * 10, Role.USER, "Ana", a, t),
                new Turn(id * 10 + 1, Role.ASSISTANT, "Bo", b, t)));
    }

    @Test
    void oneGrammarConstrainedBatchPerCallAndFactsParsed() {
        FakeGenerator gen = new FakeGenerator(p -> """
                ```json
                {"summary": "Ana adopted a cat.", "facts": [
                  {"text": "Ana adopted a cat named Miso on 1 May 2024.", "role": "event", "participants": ["Ana"],
                   "entities": ["Miso"], "topics": ["pets", "cats", "adoption", "extra"], "time_start": "2024-05-01",
                   "time_end": "not a date"}]}
                ```""");
        LlmCellExtractor extractor = new LlmCellExtractor(gen, 4, 300);
        List<Cell> cells = IntStream.range(0, 4).mapToObj(i -> cell(i, "I adopted a cat yesterday!", "Congrats!")).toList();

        List<CellExtraction> out = extractor.extract(cells);

        assertThat(gen.calls).hasSize(1);
        assertThat(gen.calls.getFirst().prompts()).hasSize(4);
        assertThat(gen.calls.getFirst().grammar()).isEqualTo(ExtractionFormat.GBNF);
        assertThat(gen.calls.getFirst().prompts().getFirst()).contains("Ana: I adopted a cat yesterday!")
                .contains("Thursday 2 May 2024");
        assertThat(out).hasSize(4).allSatisfy(x -> assertThat(x.fallback()).isFalse());
        ExtractedFact f = out.getFirst().facts().getFirst();
        assertThat(f.text()).isEqualTo("Ana adopted a cat named Miso on 1 May 2024.");
        assertThat(f.role()).isEqualTo(FactRole.EVENT);
        assertThat(f.entities()).containsExactly("Miso");
        assertThat(f.topics()).containsExactly("pets", "cats", "adoption");
        assertThat(f.validFrom()).isEqualTo("2024-05-01");
        assertThat(f.validTo()).isNull();
        assertThat(out.getFirst().summary()).isEqualTo("Ana adopted a cat.");
    }

    @Test
    void unusableOutputFallsBackToTheTurns() {
        FakeGenerator gen = new FakeGenerator(p -> "Sorry, I cannot do that.");
        List<CellExtraction> out = new LlmCellExtractor(gen, 2, 100).extract(List.of(cell(1, "I love jazz.", "Me too.")));
        assertThat(out.getFirst().fallback()).isTrue();
        assertThat(out.getFirst().facts()).extracting(ExtractedFact::text)
                .containsExactly("Ana: I love jazz.", "Bo: Me too.");
        assertThat(out.getFirst().facts()).extracting(ExtractedFact::sourceMessageId).containsExactly(10L, 11L);
    }

    @Test
    void formatsAreWellFormed() throws Exception {
        var schema = new ObjectMapper().readTree(ExtractionFormat.JSON_SCHEMA);
        assertThat(schema.path("properties").path("facts").path("items").path("properties").path("role")
                .path("enum")).hasSize(7);
        assertThat(ExtractionFormat.GBNF).startsWith("root ::= ").contains("\"\\\"preference\\\"\"")
                .contains("date ::= \"null\"");
        for (String rule : List.of("facts", "fact", "role", "names", "topics", "date", "string", "ws")) {
            assertThat(ExtractionFormat.GBNF).contains("\n" + rule + " ::= ");
        }
    }

    @Test
    void turnsAsLeavesKeepsSpeakerNamesAndTopics() {
        CellExtraction x = new TurnsAsLeavesExtractor().extract(List.of(
                cell(3, "We went hiking with Jolene near Lake Tahoe.", "Sounds lovely."))).getFirst();
        ExtractedFact f = x.facts().getFirst();
        assertThat(f.text()).isEqualTo("Ana: We went hiking with Jolene near Lake Tahoe.");
        assertThat(f.entities()).contains("Ana", "Jolene", "Lake Tahoe");
        assertThat(f.topics()).contains("hiking");
        assertThat(f.sourceMessageId()).isEqualTo(30L);
        assertThat(x.summary()).contains("Bo: Sounds lovely.");
    }
}
