package dev.canopy.engine.sparse;

/**
 * Which keys one forward step's attention reads, as its caller and the runtime pick it: the graph a
 * step runs is built and cached per path. The pass's {@link SparseAttentionSettings} name the mode;
 * the path says whether this step follows it.
 */
public enum AttentionPath {
    /**
     * As the pass's settings say: a dense pass reads every key; a sparse pass selects its budget of
     * keys inside the graph where selection applies (one query block of a cache read from cell 0,
     * whose window is larger than the budget) and reads every key elsewhere.
     */
    AS_CONFIGURED,
    /**
     * Every key the mask shows, whatever the settings (dense flash attention): the prompt's last
     * chunk ({@link SparseAttentionSettings#exactLastChunk}), speculative verify steps, a budget
     * that covers every visible key, a paged cache that already gathered a selection.
     */
    EVERY_KEY
}
