package dev.canopy.engine.sparse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SparseAttentionSettingsTest {
    @Test
    void defaultsFollowTheMethodsSpec() {
        SparseAttentionSettings s = SparseAttentionSettings.of(AttentionMode.DHSA);
        assertThat(s.budget()).isEqualTo(1024);
        assertThat(s.decodeBudget()).as("decode attends densely unless a decode budget is set").isEqualTo(SparseAttentionSettings.DENSE_DECODE);
        assertThat(s.exactLastChunk()).isTrue();
        assertThat(s.budgetFor(1)).isEqualTo(Integer.MAX_VALUE);
        assertThat(s.sink()).isEqualTo(128);
        assertThat(s.window()).isEqualTo(128);
        assertThat(s.boundaries()).isEqualTo(new BoundaryParams(4, 8, BoundaryParams.DEFAULT_THRESHOLD, 256, 8));
        assertThat(SparseAttentionSettings.dense().mode()).isEqualTo(AttentionMode.DENSE);
    }

    @Test
    void parsesModesFromTheCommandLine() {
        assertThat(AttentionMode.parse("DHSA")).isEqualTo(AttentionMode.DHSA);
        assertThat(AttentionMode.parse(" topk ")).isEqualTo(AttentionMode.TOPK);
        assertThat(AttentionMode.WINDOW.cliName()).isEqualTo("window");
        assertThatThrownBy(() -> AttentionMode.parse("sparse")).hasMessageContaining("dense, dhsa, window or topk");
    }

    @Test
    void budgetsMustHoldTheForcedKeys() {
        assertThatThrownBy(() -> SparseAttentionSettings.of(AttentionMode.DHSA).withBudget(256)).hasMessageContaining("sink + window");
        SparseAttentionSettings s = SparseAttentionSettings.of(AttentionMode.DHSA).withBudget(400).withDecodeBudget(512);
        assertThat(s.budgetFor(1)).isEqualTo(512);                     // decode uses the decode budget
        assertThatThrownBy(() -> s.budgetFor(256)).hasMessageContaining("forced");
        assertThat(SparseAttentionSettings.dense().withBudget(400).budgetFor(256)).isEqualTo(400); // dense ignores it
    }

    @Test
    void topkBudgetsAreWholeBlocks() {
        SparseAttentionSettings s = SparseAttentionSettings.of(AttentionMode.TOPK).withBudget(1000).withDecodeBudget(512);
        assertThat(s.budgetFor(256)).isEqualTo(1024);
        assertThat(s.budgetFor(1)).isEqualTo(512);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new BoundaryParams(0, 8, 0.2f, 256, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BoundaryParams(4, 8, 3f, 256, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SparseAttentionSettings.of(AttentionMode.DHSA).withSinkAndWindow(-1, 8))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SparseAttentionSettings.of(AttentionMode.DHSA).withDecodeBudget(200))
                .hasMessageContaining("0 (dense decode)");
        assertThatThrownBy(() -> SparseAttentionSettings.of(AttentionMode.TOPK).withTopkBlock(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
