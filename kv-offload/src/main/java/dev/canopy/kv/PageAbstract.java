package dev.canopy.kv;

import java.util.Arrays;

/**
 * A page's key abstract (Quest style): per channel (KV head x head dimension) the minimum and the
 * maximum of the page's keys, in F32. For any key k in the page and query q of the same head,
 * {@code q.k <= sum_i max(q_i * min_i, q_i * max_i)}, which is {@link #headBound}; a page's
 * importance for a query is {@link #importanceBound}. Immutable (the arrays are never written
 * after construction and never handed out).
 */
public record PageAbstract(float[] min, float[] max, boolean unknown) {

    public PageAbstract {
        if (min.length != max.length) throw new IllegalArgumentException("min and max differ in length");
    }

    /** An abstract of no keys (the identity of {@link #merge}). */
    public static PageAbstract empty(int channels) {
        float[] lo = new float[channels];
        float[] hi = new float[channels];
        Arrays.fill(lo, Float.POSITIVE_INFINITY);
        Arrays.fill(hi, Float.NEGATIVE_INFINITY);
        return new PageAbstract(lo, hi, false);
    }

    /** The abstract of a page whose stored abstract was damaged: its bound is +infinity (always selected). */
    public static PageAbstract unknown(int channels) {
        PageAbstract a = empty(channels);
        return new PageAbstract(a.min, a.max, true);
    }

    /** The abstract of {@code keys} (each one row of channels). */
    public static PageAbstract of(float[][] keys, int channels) {
        float[] lo = new float[channels];
        float[] hi = new float[channels];
        Arrays.fill(lo, Float.POSITIVE_INFINITY);
        Arrays.fill(hi, Float.NEGATIVE_INFINITY);
        for (float[] k : keys) include(lo, hi, k);
        return new PageAbstract(lo, hi, false);
    }

    private static void include(float[] lo, float[] hi, float[] row) {
        for (int i = 0; i < lo.length; i++) {
            float v = row[i];
            if (v < lo[i]) lo[i] = v;
            if (v > hi[i]) hi[i] = v;
        }
    }

    public int channels() {
        return min.length;
    }

    @Override public float[] min() { return min.clone(); }
    @Override public float[] max() { return max.clone(); }

    /** The elementwise union: a bound of the merged abstract is >= the bound of either part. */
    public PageAbstract merge(PageAbstract o) {
        if (unknown || o.unknown) return unknown(min.length);
        float[] lo = min.clone();
        float[] hi = max.clone();
        for (int i = 0; i < lo.length; i++) {
            lo[i] = Math.min(lo[i], o.min[i]);
            hi[i] = Math.max(hi[i], o.max[i]);
        }
        return new PageAbstract(lo, hi, false);
    }

    /** Upper bound of q.k over the page's keys of KV head {@code kvHead}, for one query head's vector at {@code q[qOff..]}. */
    public double headBound(float[] q, int qOff, int kvHead, int headDim) {
        if (unknown) return Double.POSITIVE_INFINITY;
        double s = 0;
        int c = kvHead * headDim;
        for (int i = 0; i < headDim; i++, c++) {
            float qi = q[qOff + i];
            if (qi > 0) s += (double) qi * max[c];
            else if (qi < 0) s += (double) qi * min[c];
        }
        return s;
    }

    /**
     * The page's importance for {@code query} ({@code queryHeads * headDim} values, after RoPE):
     * over the KV heads, the sum of the largest {@link #headBound} among the query heads that share
     * that KV head (GQA group). Each term bounds the head's attention logit for every key in the page.
     */
    public double importanceBound(float[] query, int queryHeads, int kvHeads) {
        if (unknown) return Double.POSITIVE_INFINITY;
        int headDim = min.length / kvHeads;
        int group = queryHeads / kvHeads;
        if (query.length != queryHeads * headDim) {
            throw new IllegalArgumentException("query has " + query.length + " values, expected " + queryHeads * headDim);
        }
        double total = 0;
        for (int kv = 0; kv < kvHeads; kv++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int g = 0; g < group; g++) {
                best = Math.max(best, headBound(query, (kv * group + g) * headDim, kv, headDim));
            }
            total += best;
        }
        return total;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PageAbstract a && unknown == a.unknown && Arrays.equals(min, a.min) && Arrays.equals(max, a.max);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(min) + Arrays.hashCode(max) + (unknown ? 1 : 0);
    }

    @Override
    public String toString() {
        return unknown ? "PageAbstract[unknown]" : "PageAbstract[channels=" + min.length + "]";
    }
}
