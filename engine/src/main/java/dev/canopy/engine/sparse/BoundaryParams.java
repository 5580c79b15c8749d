package dev.canopy.engine.sparse;

/**
 * Parameters of the training-free chunk boundary detector on the key stream (methods.md section 2,
 * step 1). A boundary before position p scores the cosine distance between the mean key of the
 * {@code width} positions left of p and the mean key of the {@code width} positions from p on.
 *
 * @param width       tokens averaged on each side (w = 4)
 * @param nmsDistance a boundary must be the largest score within this many positions (8)
 * @param threshold   minimum cosine distance (0..2) for a boundary
 * @param block       positions per cap block (the query block size, 256)
 * @param perBlock    at most this many boundaries per block of {@code block} positions (8), which
 *                    caps the total at (L / block) * perBlock
 */
public record BoundaryParams(int width, int nmsDistance, float threshold, int block, int perBlock) {
    /** Default threshold, calibrated on layer-0 keys of the passkey model (see the package notes). */
    public static final float DEFAULT_THRESHOLD = 0.25f;

    public BoundaryParams {
        if (width < 1) throw new IllegalArgumentException("boundary width must be >= 1, got " + width);
        if (nmsDistance < 0) throw new IllegalArgumentException("NMS distance must be >= 0, got " + nmsDistance);
        if (!(threshold >= 0f && threshold <= 2f)) throw new IllegalArgumentException("threshold must be in [0, 2], got " + threshold);
        if (block < 1) throw new IllegalArgumentException("cap block must be >= 1, got " + block);
        if (perBlock < 1) throw new IllegalArgumentException("boundaries per block must be >= 1, got " + perBlock);
    }

    /** w = 4, NMS distance 8, the default threshold, at most 8 boundaries per 256 positions. */
    public static BoundaryParams defaults() {
        return new BoundaryParams(4, 8, DEFAULT_THRESHOLD, 256, 8);
    }

    public BoundaryParams withThreshold(float t) {
        return new BoundaryParams(width, nmsDistance, t, block, perBlock);
    }

    /** The decision "is p a boundary" is final once this many positions after p are known (p + lookahead < length). */
    int lookahead() {
        return nmsDistance + width - 1;
    }
}
