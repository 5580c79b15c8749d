package dev.canopy.engine.kv;

import dev.canopy.engine.runtime.Step;
import dev.canopy.engine.runtime.StepBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The sliding-window ring's bookkeeping without a model: placement, visibility, cut-backs. */
class SwaRingTest {
    private static void fill(SwaRing ring, int from, int to) {
        for (int p = from; p < to; p += 16) {
            int[] tokens = new int[Math.min(16, to - p)];
            ring.place(Step.causal(tokens, p, 0));
        }
    }

    @Test
    void sizedForTheWindowPlusAStepPaddedTo256AndNeverAboveTheContext() {
        assertThat(SwaRing.cellsFor(32, 16, 4096)).isEqualTo(256);
        assertThat(SwaRing.cellsFor(1024, 256, 32768)).isEqualTo(1280);
        assertThat(SwaRing.cellsFor(4096, 512, 2048)).isEqualTo(2048);
    }

    @Test
    void aRowSeesTheLastNSwaPositionsUpToItsOwnAfterWrapping() {
        SwaRing ring = new SwaRing(32, 256, 1, 1024);
        fill(ring, 0, 300);                                        // positions 256..299 overwrote 0..43
        assertThat(ring.cell(0, 299)).isEqualTo(43);
        int visible = 0;
        for (int c = 0; c < ring.cells(); c++) if (ring.visible(c, 0, 299)) visible++;
        assertThat(visible).isEqualTo(32);
        assertThat(ring.visible(ring.cell(0, 268), 0, 299)).isTrue();   // 299 - 268 = 31 < 32
        assertThat(ring.visible(ring.cell(0, 267), 0, 299)).isFalse();  // left the window
        assertThat(ring.visible(ring.cell(0, 299), 0, 290)).isFalse();  // a later position is hidden
        assertThat(ring.window(1024)).isEqualTo(256);
        assertThat(ring.window(128)).isEqualTo(128);
    }

    @Test
    void aCutBackContinuesOnlyWhileTheRingHoldsTheWindowBeforeIt() {
        SwaRing ring = new SwaRing(32, 256, 1, 1024);
        fill(ring, 0, 400);                                        // holds 144..399
        assertThat(ring.continuable(0, 400)).isTrue();
        assertThat(ring.continuable(0, 175)).isTrue();             // needs 144..174
        assertThat(ring.continuable(0, 174)).isFalse();            // needs 143
        assertThat(ring.continuable(0, 0)).isTrue();
        ring.truncate(0, 350);
        assertThat(ring.visible(ring.cell(0, 360), 0, 399)).as("forgotten").isFalse();
        assertThat(ring.continuable(0, 350)).isTrue();
    }

    @Test
    void sequencesOfABatchKeepTheirOwnSlots() {
        SwaRing ring = new SwaRing(32, 256, 2, 600);
        StepBuilder rows = new StepBuilder(2);
        rows.add(7, 10, 10, 0);                                    // sequence 0 at position 10
        rows.add(8, 10, 610, 600);                                 // sequence 1 at position 10
        int[] cells = ring.place(rows.take(0, 1));
        assertThat(cells).containsExactly(10, 266);
        assertThat(ring.visible(266, 0, 10)).as("another sequence's cell").isFalse();
        assertThat(ring.visible(266, 1, 10)).isTrue();
        assertThat(ring.window(300)).as("every slot").isEqualTo(512);
    }
}
