package dev.canopy.tools.memory.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocomoEvalTest {

    @TempDir
    Path dir;

    static final String MINI = """
            {"sample_id": "mini", "conversation": {
              "speaker_a": "Caroline", "speaker_b": "Melanie",
              "session_1_date_time": "1:56 pm on 8 May, 2023",
              "session_1": [
                {"speaker": "Caroline", "dia_id": "D1:1", "text": "Hey Mel! How have you been?"},
                {"speaker": "Melanie", "dia_id": "D1:2", "text": "Swamped with the kids and work."},
                {"speaker": "Caroline", "dia_id": "D1:3", "text": "I went to a LGBTQ support group yesterday."},
                {"speaker": "Melanie", "dia_id": "D1:4", "text": "That sounds powerful!",
                 "blip_caption": "a photo of a rainbow flag"}],
              "session_2_date_time": "1:14 pm on 25 May, 2023",
              "session_2": [
                {"speaker": "Melanie", "dia_id": "D2:1", "text": "I ran a charity race last Sunday."},
                {"speaker": "Caroline", "dia_id": "D2:2", "text": "Amazing, what was it for?"},
                {"speaker": "Melanie", "dia_id": "D2:3", "text": "Mental health awareness."}],
              "session_3_date_time": "10:00 am on 1 June, 2023"},
             "qa": [
              {"question": "When did Caroline go to the LGBTQ support group?", "answer": "7 May 2023",
               "evidence": ["D1:3"], "category": 2},
              {"question": "What was Melanie's race for?", "answer": "mental health",
               "evidence": ["D2:1; D:2:3"], "category": 1},
              {"question": "Unanswerable", "evidence": ["D9:9"], "category": 5}]}
            """;

    @Test
    void reportsRecallForOursAndBm25AsTheAgreedJson() throws Exception {
        Path file = dir.resolve("mini.json");
        Files.writeString(file, MINI);

        LocomoReport report = LocomoEval.run(List.of(file), 2, Optional.empty());

        assertThat(report.questions()).isEqualTo(2);
        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertThat(json.properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("ours", "bm25", "questions", "construction_s");
        for (String key : List.of("ours", "bm25")) {
            assertThat(json.path(key).path("overall").asDouble()).isBetween(0.0, 1.0);
            assertThat(json.path(key).path("by_category").has("1")).isTrue();
            assertThat(json.path(key).path("by_category").has("2")).isTrue();
        }
        assertThat(json.path("ours").path("by_category").path("2").asDouble()).isEqualTo(1.0);
        assertThat(json.path("construction_s").asDouble()).isPositive();
    }

    @Test
    void loaderCleansEvidenceAndKeepsCaptions() throws Exception {
        Path file = dir.resolve("mini.json");
        Files.writeString(file, MINI);
        LocomoConversation c = LocomoLoader.load(file);
        assertThat(c.sessions()).hasSize(2);
        assertThat(c.turnCount()).isEqualTo(7);
        assertThat(c.sessions().get(0).turns().get(3).text()).endsWith("[shares a photo of a rainbow flag]");
        assertThat(c.questions().get(1).evidence()).containsExactly("D2:1", "D2:3");
        assertThat(c.skippedQuestions()).isEqualTo(1);
    }

    @Test
    void bm25RanksByTermRarityAndRecallAveragesShares() {
        Bm25Index index = new Bm25Index(List.of("the cat sat", "the dog ran", "a cat and a dog", "the the the"));
        assertThat(index.search("cat", 10)).containsExactly(0, 2);
        assertThat(index.search("dog cat", 1)).containsExactly(2);
        assertThat(index.search("zebra", 10)).isEmpty();
        assertThat(RecallAtK.of(List.of("a", "b"), List.of("b", "c"))).isEqualTo(0.5);
        RecallAtK r = new RecallAtK();
        r.add(1, 1.0);
        r.add(1, 0.0);
        r.add(2, 0.5);
        assertThat(r.scores().overall()).isEqualTo(0.5);
        assertThat(r.scores().byCategory()).containsEntry("1", 0.5).containsEntry("2", 0.5);
    }
}
