package dev.canopy.engine.sparse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training-free DHSA chunk boundary detector over one sequence's key stream (methods.md
 * section 2, step 1), fed with layer-0 keys averaged over KV heads and shared by every layer.
 *
 * <p>The score of a boundary before position p is the cosine distance between the mean key of
 * positions [p-w, p) and of [p, p+w). A position is a boundary when its score exceeds the
 * threshold and is the largest within {@code nmsDistance} on both sides (1-D non-maximum
 * suppression; equal scores go to the earlier position). Each aligned block of {@code block}
 * positions keeps at most {@code perBlock} boundaries, the highest scoring ones, which bounds the
 * total by (L / block) * perBlock.
 *
 * <p>Keys arrive incrementally (after each prefill chunk or decoded token); {@link #starts()} is
 * always exactly what {@link #detect} gives on the keys seen so far, so the result depends only
 * on the keys and never on how they were split. All arithmetic is in doubles on the host, so it is
 * deterministic across runs and backends.
 */
public final class ChunkBoundaries {
    private final int headDim;
    private final BoundaryParams params;
    private float[] keys = new float[0];     // key means, position-major [length][headDim]
    private double[] distance = new double[0];
    private int length;
    private int decided;                     // positions < decided have a final peak decision
    private final List<Integer> decidedPeaks = new ArrayList<>();

    public ChunkBoundaries(int headDim, BoundaryParams params) {
        if (headDim < 1) throw new IllegalArgumentException("head dim must be >= 1");
        this.headDim = headDim;
        this.params = params;
    }

    /** Chunk starts of a complete key stream of {@code keyMeans.length / headDim} positions. */
    public static int[] detect(float[] keyMeans, int headDim, BoundaryParams params) {
        ChunkBoundaries b = new ChunkBoundaries(headDim, params);
        b.append(keyMeans);
        return b.starts();
    }

    /** Appends the key means ([n][headDim], position-major) of the next n positions. */
    public void append(float[] keyMeans) {
        if (keyMeans.length % headDim != 0) throw new IllegalArgumentException("key means must be whole rows of " + headDim);
        int n = keyMeans.length / headDim;
        ensureCapacity(length + n);
        System.arraycopy(keyMeans, 0, keys, length * headDim, keyMeans.length);
        int oldLength = length;
        length += n;
        int w = params.width();
        for (int p = Math.max(w, oldLength - w + 1); p <= length - w; p++) distance[p] = cosineDistance(p);
        while (decided < length && decided + params.lookahead() < length) {
            if (isPeak(decided)) decidedPeaks.add(decided);
            decided++;
        }
    }

    /** Forgets every position from {@code newLength} on; what remains is as if only it had been appended. */
    public void truncate(int newLength) {
        if (newLength >= length) return;
        float[] kept = Arrays.copyOf(keys, Math.max(0, newLength) * headDim);
        keys = new float[0];
        distance = new double[0];
        length = 0;
        decided = 0;
        decidedPeaks.clear();
        append(kept);
    }

    /** Positions appended so far. */
    public int length() {
        return length;
    }

    /** The boundary score before position p (0 where it is undefined: near either end). */
    public double distance(int p) {
        int w = params.width();
        return p >= w && p <= length - w ? distance[p] : 0;
    }

    /** Ascending chunk start positions of the keys so far: 0 first, then the boundaries (empty when no keys). */
    public int[] starts() {
        if (length == 0) return new int[0];
        List<Integer> peaks = new ArrayList<>(decidedPeaks);
        for (int p = decided; p < length; p++) if (isPeak(p)) peaks.add(p);
        int[] capped = capPerBlock(peaks);
        int[] out = new int[capped.length + 1];
        System.arraycopy(capped, 0, out, 1, capped.length);
        return out;
    }

    /** Whether position p is a boundary given the scores defined so far. */
    private boolean isPeak(int p) {
        int w = params.width();
        if (p < w || p > length - w) return false;
        double d = distance[p];
        if (!(d > params.threshold())) return false;
        int lo = Math.max(w, p - params.nmsDistance());
        int hi = Math.min(length - w, p + params.nmsDistance());
        for (int q = lo; q <= hi; q++) {
            if (q < p && distance[q] >= d) return false;
            if (q > p && distance[q] > d) return false;
        }
        return true;
    }

    /** Keeps the {@code perBlock} highest peaks of every aligned block (ties: the earlier one). */
    private int[] capPerBlock(List<Integer> peaks) {
        List<Integer> kept = new ArrayList<>();
        int i = 0;
        while (i < peaks.size()) {
            int block = peaks.get(i) / params.block();
            int j = i;
            while (j < peaks.size() && peaks.get(j) / params.block() == block) j++;
            List<Integer> inBlock = new ArrayList<>(peaks.subList(i, j));
            if (inBlock.size() > params.perBlock()) {
                inBlock.sort((a, b) -> distance[a] != distance[b] ? Double.compare(distance[b], distance[a]) : Integer.compare(a, b));
                inBlock = new ArrayList<>(inBlock.subList(0, params.perBlock()));
                inBlock.sort(Integer::compare);
            }
            kept.addAll(inBlock);
            i = j;
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    private double cosineDistance(int p) {
        int w = params.width();
        double dot = 0, ll = 0, rr = 0;
        for (int d = 0; d < headDim; d++) {
            double l = 0, r = 0;
            for (int t = 0; t < w; t++) {
                l += keys[(p - w + t) * headDim + d];
                r += keys[(p + t) * headDim + d];
            }
            dot += l * r;
            ll += l * l;
            rr += r * r;
        }
        if (ll == 0 || rr == 0) return 0;
        return 1 - dot / Math.sqrt(ll * rr);
    }

    private void ensureCapacity(int positions) {
        if (positions * headDim > keys.length) {
            int cap = Math.max(positions, 2 * keys.length / headDim + 256);
            keys = Arrays.copyOf(keys, cap * headDim);
            distance = Arrays.copyOf(distance, cap + 1);
        }
    }
}
