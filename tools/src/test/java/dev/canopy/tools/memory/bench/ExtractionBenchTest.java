package dev.canopy.tools.memory.bench;

import dev.canopy.memory.extract.FakeGenerator;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExtractionBenchTest {

    @Test
    void buildsInParallelBatchesAndOneByOneAlternatingWithTheSameAnswers() throws Exception {
        FakeGenerator gen = new FakeGenerator(FakeGenerator::extractionAnswer);
        StringWriter log = new StringWriter();
        ExtractionBench.Result r = ExtractionBench.run(gen, 5, 2, 2, 64, new PrintWriter(log));

        // warm-up (2 then 1 prompt, 4 tokens); round 1: parallel (3 calls: 2,2,1) then sequential (5 calls);
        // round 2: sequential then parallel
        assertThat(gen.calls).extracting(c -> c.prompts().size())
                .containsExactly(2, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1);
        assertThat(gen.calls.subList(2, gen.calls.size())).allSatisfy(c -> assertThat(c.maxTokens()).isEqualTo(64));
        assertThat(r.parallel().cells()).isEqualTo(10);
        assertThat(r.sequential().cells()).isEqualTo(10);
        assertThat(r.parallel().fallbacks()).isZero();
        assertThat(r.sameAnswers()).isTrue();
        assertThat(r.ratio()).isPositive();
        assertThat(log.toString()).contains("parallel x2 ").contains("sequential ").contains("ratio parallel/sequential: ");
    }

    @Test
    void theSyntheticConversationIsTwoTurnsPerCellAndDeterministic() {
        assertThat(ExtractionBench.conversation(4)).hasSize(8);
        assertThat(ExtractionBench.conversation(4).get(2)).containsExactly(ExtractionBench.conversation(4).get(2));
        assertThat(ExtractionBench.conversation(4).get(1)[0]).isEqualTo("assistant");
    }

    @Test
    void aParallelBelowTwoIsRefused() {
        assertThatThrownBy(() -> ExtractionBench.run(new FakeGenerator(p -> ""), 4, 1, 1, 8, new PrintWriter(new StringWriter())))
                .hasMessageContaining("parallel >= 2");
    }
}
