package dev.canopy.engine;

/**
 * Speculative decoding of one generation: off, prompt lookup, or a draft model, with at most
 * {@code draftMax} proposed tokens verified per step. Greedy output is the same token for token as without it
 * (decision 0120, penalties and grammars included); sampled output follows the same distribution,
 * reproducibly for a seed (speculative sampling, decision 0180: without penalties or a grammar). It
 * runs on Canopy's engine with the KV in memory and dense decode steps (dense attention, or DHSA
 * with dense decode); elsewhere the generation decodes one token at a time and
 * {@link GenerationStats#speculationNote()} says why.
 *
 * @param mode       off, lookup or draft
 * @param draftMax   most tokens proposed and verified in one step (the draft length adapts below it)
 * @param draftModel the draft model (borrowed; its vocabulary must be the target's), only with DRAFT
 */
public record Speculation(SpeculationMode mode, int draftMax, InferenceModel draftModel) {
    /** The default draft limit: verification steps of up to 16 rows. */
    public static final int DEFAULT_DRAFT_MAX = 15;
    public static final int MAX_DRAFT_MAX = 31;
    private static final Speculation OFF = new Speculation(SpeculationMode.OFF, DEFAULT_DRAFT_MAX, null);

    public Speculation {
        if (mode == null) throw new IllegalArgumentException("speculation mode is required");
        if (draftMax < 1 || draftMax > MAX_DRAFT_MAX) {
            throw new IllegalArgumentException("--draft-max must be between 1 and " + MAX_DRAFT_MAX + ", not " + draftMax);
        }
        if ((mode == SpeculationMode.DRAFT) != (draftModel != null)) {
            throw new IllegalArgumentException(mode == SpeculationMode.DRAFT ? "--speculative draft needs --draft-model FILE"
                    : "--draft-model needs --speculative draft");
        }
    }

    /** Without a draft model (off or lookup). */
    public Speculation(SpeculationMode mode, int draftMax) {
        this(mode, draftMax, null);
    }

    /** A draft model proposes up to {@code draftMax} tokens per step. */
    public static Speculation draft(InferenceModel draftModel, int draftMax) {
        return new Speculation(SpeculationMode.DRAFT, draftMax, draftModel);
    }

    public static Speculation off() { return OFF; }

    public static Speculation lookup(int draftMax) { return new Speculation(SpeculationMode.LOOKUP, draftMax); }

    public static Speculation lookup() { return lookup(DEFAULT_DRAFT_MAX); }

    public boolean enabled() { return mode != SpeculationMode.OFF; }
}
