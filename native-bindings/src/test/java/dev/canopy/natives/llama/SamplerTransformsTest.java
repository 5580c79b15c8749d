package dev.canopy.natives.llama;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chain's transformations without its pick: what speculative sampling draws from (decision 0180). */
class SamplerTransformsTest {
    private static final float[] LOGITS = {1f, 5f, 2f, 4f, 0f, 3f, -1f, 6f};

    @Test
    void topKKeepsTheLargestLogitsDividedByTheTemperature() {
        try (LlamaSampler t = LlamaSampler.transforms(new SamplerSettings(0.5f, 3, 1f, 0f, 1f, 64, 1, null))) {
            int[] ids = new int[LOGITS.length];
            float[] out = new float[LOGITS.length];
            int n = t.transform(LOGITS, ids, out);
            assertThat(n).isEqualTo(3);
            assertThat(Arrays.stream(ids, 0, n).sorted().toArray()).containsExactly(1, 3, 7);
            for (int i = 0; i < n; i++) assertThat(out[i]).isEqualTo(LOGITS[ids[i]] / 0.5f);
        }
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // softmax of the logits: 6 -> 0.636, 5 -> 0.234, 4 -> 0.086: 0.87 < 0.9 <= 0.956
        try (LlamaSampler t = LlamaSampler.transforms(new SamplerSettings(1f, 0, 0.9f, 0f, 1f, 64, 1, null))) {
            int[] ids = new int[LOGITS.length];
            int n = t.transform(LOGITS, ids, new float[LOGITS.length]);
            assertThat(Arrays.stream(ids, 0, n).sorted().toArray()).containsExactly(1, 3, 7);
        }
    }

    @Test
    void penaltiesAndGreedyAreNotTransforms() {
        assertThatThrownBy(() -> LlamaSampler.transforms(SamplerSettings.balanced(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LlamaSampler.transforms(SamplerSettings.greedy())).isInstanceOf(IllegalArgumentException.class);
    }
}
