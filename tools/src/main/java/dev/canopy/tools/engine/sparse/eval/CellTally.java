package dev.canopy.tools.engine.sparse.eval;

import java.util.List;
import java.util.Map;

/**
 * One mode's counts over the prompts of one cell (or of all cells).
 *
 * @param correct    prompts the mode answered right
 * @param sameAsDense prompts where its continuation equals dense attention's
 * @param keptRight  prompts dense answered right that the mode answered right too
 * @param denseRight prompts dense answered right
 * @param prompts    prompts in all
 */
record CellTally(int correct, int sameAsDense, int keptRight, int denseRight, int prompts) {
    static final CellTally EMPTY = new CellTally(0, 0, 0, 0, 0);

    /** Counts {@code mode} over rows of outcomes keyed by mode, where {@code dense} names the reference row. */
    static CellTally of(List<Map<String, PasskeyEval.Outcome>> rows, String mode, String dense) {
        CellTally t = EMPTY;
        for (Map<String, PasskeyEval.Outcome> row : rows) {
            PasskeyEval.Outcome r = row.get(mode);
            PasskeyEval.Outcome d = row.get(dense);
            boolean denseOk = d != null && d.correct();
            t = t.plus(new CellTally(r.correct() ? 1 : 0,
                    d != null && d.continuation().equals(r.continuation()) ? 1 : 0,
                    denseOk && r.correct() ? 1 : 0, denseOk ? 1 : 0, 1));
        }
        return t;
    }

    CellTally plus(CellTally o) {
        return new CellTally(correct + o.correct, sameAsDense + o.sameAsDense, keptRight + o.keptRight,
                denseRight + o.denseRight, prompts + o.prompts);
    }
}
