package dev.canopy.engine.sparse;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The training-free boundary detector and the chunk map built from it. */
class ChunkBoundariesTest {
    static final int HD = 16;

    /** Keys in segments of 16..63 positions, each around its own random direction. */
    static float[] segmented(long seed, int length, int[] startsOut) {
        Random r = new Random(seed);
        float[] keys = new float[length * HD];
        float[] mean = new float[HD];
        int n = 0;
        for (int p = 0, next = 0; p < length; p++) {
            if (p == next) {
                startsOut[n++] = p;
                for (int d = 0; d < HD; d++) mean[d] = (float) r.nextGaussian();
                next = p + 16 + r.nextInt(48);
            }
            for (int d = 0; d < HD; d++) keys[p * HD + d] = mean[d] + 0.1f * (float) r.nextGaussian();
        }
        startsOut[n] = -1;
        return keys;
    }

    @Test
    void findsPlantedSegmentChanges() {
        int[] planted = new int[1000];
        float[] keys = segmented(1, 2000, planted);
        int[] expected = Arrays.stream(planted).takeWhile(p -> p >= 0).filter(p -> p == 0 || p <= 2000 - 4).toArray();
        assertThat(ChunkBoundaries.detect(keys, HD, BoundaryParams.defaults())).containsExactly(expected);
    }

    @Test
    void isDeterministicAndIndependentOfHowKeysArrive() {
        float[] keys = noisy(7, 3000);
        int[] batch = ChunkBoundaries.detect(keys, HD, BoundaryParams.defaults().withThreshold(0.5f));
        assertThat(ChunkBoundaries.detect(keys, HD, BoundaryParams.defaults().withThreshold(0.5f))).containsExactly(batch);
        Random r = new Random(3);
        ChunkBoundaries inc = new ChunkBoundaries(HD, BoundaryParams.defaults().withThreshold(0.5f));
        int p = 0;
        while (p < 3000) {
            int n = Math.min(3000 - p, 1 + r.nextInt(300));
            inc.append(Arrays.copyOfRange(keys, p * HD, (p + n) * HD));
            p += n;
            int[] prefix = ChunkBoundaries.detect(Arrays.copyOf(keys, p * HD), HD, BoundaryParams.defaults().withThreshold(0.5f));
            assertThat(inc.starts()).containsExactly(prefix);
        }
        assertThat(inc.starts()).containsExactly(batch);
        inc.truncate(1234);
        assertThat(inc.starts()).containsExactly(ChunkBoundaries.detect(Arrays.copyOf(keys, 1234 * HD), HD,
                BoundaryParams.defaults().withThreshold(0.5f)));
    }

    @Test
    void respectsNmsDistanceAndThePerBlockCap() {
        float[] keys = noisy(11, 4096);
        BoundaryParams p = new BoundaryParams(4, 8, 0.05f, 256, 8);
        int[] starts = ChunkBoundaries.detect(keys, HD, p);
        assertThat(starts[0]).isZero();
        for (int i = 2; i < starts.length; i++) assertThat(starts[i] - starts[i - 1]).isGreaterThan(8);
        int[] perBlock = new int[4096 / 256];
        for (int i = 1; i < starts.length; i++) perBlock[starts[i] / 256]++;
        assertThat(Arrays.stream(perBlock).max().orElse(0)).isLessThanOrEqualTo(8);
        assertThat(starts.length - 1).isLessThanOrEqualTo(4096 / 256 * 8).isGreaterThan(4096 / 256 * 4); // noise: the cap binds
        BoundaryParams tight = new BoundaryParams(4, 8, 0.05f, 256, 2);
        assertThat(ChunkBoundaries.detect(keys, HD, tight).length - 1).isLessThanOrEqualTo(4096 / 256 * 2);
    }

    @Test
    void chunkMapCoversTheSequenceTheBlockAndNothingElse() {
        int[] starts = {0, 10, 25};
        ChunkMap m = ChunkMap.of(starts, 40, 4, 4 + 49, 64);  // 40 known positions, block up to position 49
        assertThat(m.chunks()).isEqualTo(4);                   // [0,10) [10,25) [25,40) + provisional [40,49]
        assertThat(m.tokenChunk()[4]).isZero();
        assertThat(m.tokenChunk()[4 + 10]).isEqualTo(1);
        assertThat(m.tokenChunk()[4 + 39]).isEqualTo(2);
        assertThat(m.tokenChunk()[4 + 40]).isEqualTo(3);
        assertThat(m.tokenChunk()[0]).isEqualTo(4);            // before the sequence: the dummy chunk
        assertThat(m.tokenChunk()[63]).isEqualTo(4);           // after the block: the dummy chunk
        assertThat(m.chunkFirst()[2]).isEqualTo(4 + 25);
        assertThat(m.chunkLast()[2]).isEqualTo(4 + 39);
        assertThat(m.chunkScale()[3]).isEqualTo((float) (1 / Math.sqrt(10)));
        assertThat(m.chunkScale()[4]).isZero();
    }

    private static float[] noisy(long seed, int length) {
        Random r = new Random(seed);
        float[] keys = new float[length * HD];
        for (int i = 0; i < keys.length; i++) keys[i] = (float) r.nextGaussian() + (i % HD == 0 ? 1f : 0f);
        return keys;
    }
}
