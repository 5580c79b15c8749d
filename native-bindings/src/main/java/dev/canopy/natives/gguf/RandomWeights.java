package dev.canopy.natives.gguf;

import java.util.Random;

/** Random weights for the tiny test models: Gaussian matrices scaled by fan-in, norms around 1. */
public final class RandomWeights {
    private RandomWeights() {}

    /** The standard deviation that keeps activations at unit scale: 1 / sqrt(fan-in). */
    public static float scale(int fanIn) {
        return (float) (1.0 / Math.sqrt(fanIn));
    }

    public static float[] gaussian(Random rnd, long n, float std) {
        float[] out = new float[Math.toIntExact(n)];
        for (int i = 0; i < out.length; i++) out[i] = (float) rnd.nextGaussian() * std;
        return out;
    }

    /** Norm weights: 1 plus a little noise. */
    public static float[] around1(Random rnd, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = 1f + (float) rnd.nextGaussian() * 0.05f;
        return out;
    }
}
