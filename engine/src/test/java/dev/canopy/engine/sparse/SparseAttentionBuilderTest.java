package dev.canopy.engine.sparse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Sparse attention graphs on random data against dense attention and the plain-Java reference. */
class SparseAttentionBuilderTest {
    // passkey-model heads (6 query heads over 2 KV heads of 64), a small window
    static final AttentionShape PREFILL = new AttentionShape(64, 6, 2, 128, 512, 0.125f);
    static final SparseAttentionSettings SMALL = SparseAttentionSettings.of(AttentionMode.DHSA)
            .withSinkAndWindow(32, 32).withBudget(256).withDecodeBudget(128).withTopkBlock(32);

    /** A block of 100 valid rows (of 128) at positions 256..355: 356 visible cells in a window of 512. */
    static final QueryBlock BLOCK = QueryBlock.of(0, 256, 100);

    @Test
    void budgetCoveringTheVisibleKeysEqualsDense() {
        SparseFixture.Data d = SparseFixture.random(1, PREFILL, BLOCK);
        ChunkMap map = d.chunkMap(BoundaryParams.defaults());
        SparseFixture.Result dense = SparseFixture.run(d, SMALL.withMode(AttentionMode.DENSE), map);
        for (AttentionMode mode : new AttentionMode[] {AttentionMode.DHSA, AttentionMode.WINDOW, AttentionMode.TOPK}) {
            SparseFixture.Result sparse = SparseFixture.run(d, SMALL.withMode(mode).withBudget(384), map);
            assertThat(sparse.mode()).isEqualTo(mode);                       // really ran the sparse path
            assertThat(sparse.selection()).hasSize(384).contains(IntStream.rangeClosed(0, BLOCK.lastCell()).toArray());
            // same keys, another kernel: the sparse path's explicit softmax rounds Q to F16 in K.Q (decision 0060)
            assertThat(maxDiff(dense.out(), sparse.out(), BLOCK.rows())).as(mode.cliName()).isLessThanOrEqualTo(2e-3f);
        }
    }

    @Test
    void budgetCoveringTheWindowRunsDenseExactly() {
        SparseFixture.Data d = SparseFixture.random(2, PREFILL, BLOCK);
        ChunkMap map = d.chunkMap(BoundaryParams.defaults());
        SparseFixture.Result dense = SparseFixture.run(d, SMALL.withMode(AttentionMode.DENSE), map);
        SparseFixture.Result dhsa = SparseFixture.run(d, SMALL.withBudget(PREFILL.window()), map);
        assertThat(dhsa.mode()).isEqualTo(AttentionMode.DENSE);
        assertThat(dhsa.out()).containsExactly(dense.out());
    }

    @Test
    void smallBudgetAlwaysKeepsSinkWindowAndBlock() {
        AttentionShape shape = new AttentionShape(64, 6, 2, 128, 2048, 0.125f);
        for (int seed = 0; seed < 3; seed++) {
            QueryBlock block = QueryBlock.of(0, 1800 + 50 * seed, 128 - 10 * seed);
            SparseFixture.Data d = SparseFixture.random(10 + seed, shape, block);
            SparseFixture.Result r = SparseFixture.run(d, SMALL, d.chunkMap(BoundaryParams.defaults()));
            int[] forced = IntStream.range(0, 2048).filter(c -> block.forced(c, 32, 32)).toArray();
            assertThat(r.selection()).hasSize(256).doesNotHaveDuplicates().isSorted().contains(forced);
            assertThat(Arrays.stream(r.selection()).allMatch(block::visible)).isTrue();
            assertThat(IntStream.range(0, r.out().length).allMatch(i -> Float.isFinite(r.out()[i]))).isTrue();
        }
    }

    @Test
    void inGraphDhsaSelectionAgreesWithTheReference() {
        AttentionShape shape = new AttentionShape(64, 6, 2, 128, 2048, 0.125f);
        for (int seed = 0; seed < 3; seed++) {
            QueryBlock block = QueryBlock.of(0, 1700 + 100 * seed, 128 - 20 * seed);
            SparseFixture.Data d = SparseFixture.random(20 + seed, shape, block);
            ChunkMap map = d.chunkMap(BoundaryParams.defaults());
            int[] sel = SparseFixture.run(d, SMALL, map).selection();
            double[] ref = SelectionReference.dhsaCellScores(d, map);
            assertRankedConsistently(sel, ref, c -> block.forced(c, 32, 32), block);
        }
    }

    /**
     * Layers share one mask over their kept cells (built from the first layer's selection): a layer
     * whose selection differs from the first one's still computes exactly what it computes alone.
     */
    @ParameterizedTest
    @EnumSource(value = AttentionMode.class, names = {"DHSA", "TOPK"})
    void aLaterLayerWithItsOwnSelectionAttendsAsItWouldAlone(AttentionMode mode) {
        SparseAttentionSettings settings = SparseAttentionSettings.of(mode).withSinkAndWindow(32, 32).withTopkBlock(16)
                .withBudget(256).withExactLastChunk(false);
        SparseFixture.Data first = SparseFixture.random(41, PREFILL, BLOCK);
        SparseFixture.Data later = SparseFixture.random(42, PREFILL, BLOCK);
        ChunkMap map = later.chunkMap(BoundaryParams.defaults());
        SparseFixture.Result alone = SparseFixture.run(later, settings, map);
        SparseFixture.Result firstAlone = SparseFixture.run(first, settings, map);
        SparseFixture.Result second = SparseFixture.run(first, later, settings, map);
        assertThat(firstAlone.selection()).as("the two layers keep different cells").isNotEqualTo(alone.selection());
        assertThat(second.selection()).containsExactly(alone.selection());
        assertThat(second.out()).containsExactly(alone.out());
    }

    @Test
    void topkKeepsWholeBlocksWithTheHighestBounds() {
        AttentionShape shape = new AttentionShape(64, 6, 2, 128, 2048, 0.125f);
        QueryBlock block = QueryBlock.of(0, 1850, 128);
        SparseFixture.Data d = SparseFixture.random(30, shape, block);
        SparseAttentionSettings topk = SMALL.withMode(AttentionMode.TOPK);
        int[] sel = SparseFixture.run(d, topk, null).selection();
        int bs = topk.topkBlock();
        assertThat(sel).hasSize(topk.budgetFor(128)).isSorted().doesNotHaveDuplicates();
        int[] blocks = Arrays.stream(sel).map(c -> c / bs).distinct().toArray();
        assertThat(blocks.length * bs).isEqualTo(sel.length);            // whole blocks only
        double[] bound = SelectionReference.questBounds(d, bs);
        double[] perCell = new double[shape.window()];
        for (int c = 0; c < perCell.length; c++) perCell[c] = bound[c / bs];
        assertRankedConsistently(sel, perCell, c -> blockForced(block, c / bs, bs), block);
    }

    @Test
    void windowKeepsTheSinkAndTheMostRecentCells() {
        AttentionShape shape = new AttentionShape(64, 6, 2, 128, 2048, 0.125f);
        QueryBlock block = QueryBlock.of(0, 1500, 90);
        SparseFixture.Data d = SparseFixture.random(40, shape, block);
        int[] sel = SparseFixture.run(d, SMALL.withMode(AttentionMode.WINDOW), null).selection();
        int[] expected = IntStream.concat(IntStream.range(0, 32), IntStream.rangeClosed(block.lastCell() - 223, block.lastCell())).toArray();
        assertThat(sel).containsExactly(expected);
    }

    @Test
    void decodeIsAOneTokenBlockWithItsOwnBudget() {
        AttentionShape shape = new AttentionShape(64, 6, 2, 1, 1024, 0.125f);
        QueryBlock block = QueryBlock.of(0, 1000, 1);
        SparseFixture.Data d = SparseFixture.random(50, shape, block);
        SparseFixture.Result r = SparseFixture.run(d, SMALL, d.chunkMap(BoundaryParams.defaults()));
        assertThat(r.selection()).hasSize(128).contains(IntStream.range(0, 32).toArray())
                .contains(IntStream.rangeClosed(1000 - 32, 1000).toArray());
        assertRankedConsistently(r.selection(), SelectionReference.dhsaCellScores(d, d.chunkMap(BoundaryParams.defaults())),
                c -> block.forced(c, 32, 32), block);
    }

    /**
     * Decode with a budget covering every visible key equals dense decode. (The window stays under
     * 512 cells: from 512 on, ggml's CPU decode kernel splits the keys across threads by count, so
     * windows of different sizes round differently, by ~1e-4 with its F16 accumulator.)
     */
    @Test
    void decodeWithABudgetCoveringTheVisibleKeysEqualsDense() {
        AttentionShape shape = new AttentionShape(64, 6, 2, 1, 384, 0.125f);
        QueryBlock block = QueryBlock.of(0, 300, 1);
        SparseFixture.Data d = SparseFixture.random(51, shape, block);
        SparseFixture.Result dense = SparseFixture.run(d, SMALL.withMode(AttentionMode.DENSE), null);
        SparseFixture.Result wide = SparseFixture.run(d, SMALL.withDecodeBudget(320), d.chunkMap(BoundaryParams.defaults()));
        assertThat(wide.mode()).isEqualTo(AttentionMode.DHSA);
        assertThat(maxDiff(dense.out(), wide.out(), 1)).isLessThanOrEqualTo(2e-3f);   // see budgetCoveringTheVisibleKeysEqualsDense
    }

    /**
     * Every kept, unforced cell scores at least as high as every dropped visible cell (up to F16
     * rounding of the query in the graph's matmul); ties may go either way.
     */
    static void assertRankedConsistently(int[] sel, double[] ref, java.util.function.IntPredicate forced, QueryBlock block) {
        boolean[] kept = new boolean[ref.length];
        for (int c : sel) kept[c] = true;
        double scale = Arrays.stream(ref).map(Math::abs).max().orElse(1);
        double minKept = Double.POSITIVE_INFINITY, maxDropped = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < ref.length; c++) {
            if (!block.visible(c) || forced.test(c)) continue;
            if (kept[c]) minKept = Math.min(minKept, ref[c]);
            else maxDropped = Math.max(maxDropped, ref[c]);
        }
        assertThat(minKept).isGreaterThan(Double.NEGATIVE_INFINITY);     // the budget left room for scored cells
        assertThat(minKept).isGreaterThanOrEqualTo(maxDropped - 2e-3 * scale);
    }

    static boolean blockForced(QueryBlock block, int b, int size) {
        return IntStream.range(b * size, (b + 1) * size).anyMatch(c -> block.forced(c, 32, 32));
    }

    /** Largest difference over the first {@code validRows} query rows (6 heads x 64 each). */
    static float maxDiff(float[] a, float[] b, int validRows) {
        float m = 0;
        for (int i = 0; i < validRows * 6 * 64; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
