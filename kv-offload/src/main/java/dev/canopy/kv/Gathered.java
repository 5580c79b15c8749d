package dev.canopy.kv;

/**
 * What {@link KvStore#materialize} put into a {@link GatherBuffer}: the rows {@code [0, tokens)}
 * hold the pages {@code pages[i]}, each {@code tokenCounts[i]} tokens from position
 * {@code firstPositions[i]}, in that order (ascending positions). The engine builds its attention
 * mask from these positions.
 */
public record Gathered(int layer, int tokens, int[] pages, int[] firstPositions, int[] tokenCounts) {

    public Gathered {
        pages = pages.clone();
        firstPositions = firstPositions.clone();
        tokenCounts = tokenCounts.clone();
    }

    @Override public int[] pages() { return pages.clone(); }
    @Override public int[] firstPositions() { return firstPositions.clone(); }
    @Override public int[] tokenCounts() { return tokenCounts.clone(); }

    /** The position of every gathered row. */
    public int[] positions() {
        int[] out = new int[tokens];
        int r = 0;
        for (int i = 0; i < pages.length; i++) {
            for (int t = 0; t < tokenCounts[i]; t++) out[r++] = firstPositions[i] + t;
        }
        return out;
    }
}
