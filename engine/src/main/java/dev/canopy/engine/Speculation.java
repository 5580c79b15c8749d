package dev.canopy.engine;

/**
 * Speculative decoding of one generation: off, or prompt lookup with at most {@code draftMax}
 * proposed tokens verified per step. Greedy output is the same token for token as without it
 * (decision 0120). It runs on Canopy's engine for plain greedy decoding with the KV in memory and
 * dense decode steps (dense attention, or DHSA with dense decode); elsewhere the generation decodes
 * one token at a time and {@link GenerationStats#speculationNote()} says why.
 *
 * @param mode     off or lookup
 * @param draftMax most tokens proposed and verified in one step (the draft length adapts below it)
 */
public record Speculation(SpeculationMode mode, int draftMax) {
    /** The default draft limit: verification steps of up to 16 rows. */
    public static final int DEFAULT_DRAFT_MAX = 15;
    public static final int MAX_DRAFT_MAX = 31;
    private static final Speculation OFF = new Speculation(SpeculationMode.OFF, DEFAULT_DRAFT_MAX);

    public Speculation {
        if (mode == null) throw new IllegalArgumentException("speculation mode is required");
        if (draftMax < 1 || draftMax > MAX_DRAFT_MAX) {
            throw new IllegalArgumentException("--draft-max must be between 1 and " + MAX_DRAFT_MAX + ", not " + draftMax);
        }
    }

    public static Speculation off() { return OFF; }

    public static Speculation lookup(int draftMax) { return new Speculation(SpeculationMode.LOOKUP, draftMax); }

    public static Speculation lookup() { return lookup(DEFAULT_DRAFT_MAX); }

    public boolean enabled() { return mode != SpeculationMode.OFF; }
}
