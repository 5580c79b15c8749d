package dev.canopy.tools.engine.sparse.eval;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CellTallyTest {
    private static PasskeyEval.Outcome said(String text, boolean correct) {
        return new PasskeyEval.Outcome(text, correct, false, 0);
    }

    @Test
    void keptRightCountsOnlyPromptsDenseAnsweredRight() {
        List<Map<String, PasskeyEval.Outcome>> rows = List.of(
                Map.of("dense", said(" 12345.", true), "dhsa", said(" 12345.", true)),  // kept
                Map.of("dense", said(" 22222.", true), "dhsa", said(" 22220.", false)), // lost
                Map.of("dense", said(" 9", false), "dhsa", said(" 33333.", true)),     // gained: not "kept"
                Map.of("dense", said("", false), "dhsa", said("", false)));            // same, both wrong
        CellTally dhsa = CellTally.of(rows, "dhsa", "dense");
        assertThat(dhsa).isEqualTo(new CellTally(2, 2, 1, 2, 4));
        assertThat(CellTally.of(rows, "dense", "dense")).isEqualTo(new CellTally(2, 4, 2, 2, 4));
        assertThat(dhsa.plus(dhsa)).isEqualTo(new CellTally(4, 4, 2, 4, 8));
    }
}
