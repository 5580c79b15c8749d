package dev.canopy.engine.sparse;

/**
 * The "Long-context acceleration" setting: which attention a model runs and how many keys a
 * sparse mode may read. Budgets count key tokens per query block and always include the forced
 * ones: the first {@code sink} tokens of the sequence, the {@code window} tokens before the block
 * and the block's own tokens (the diagonal block stays exact).
 *
 * @param mode         dense (exact, the safe choice), dhsa, window or topk
 * @param budget       keys per prefill query block (1,024 for needle-style retrieval, 2,048 for LongBench)
 * @param decodeBudget keys per decoded token (a one-token query block); {@link #DENSE_DECODE} (0) reads all
 * @param sink         first tokens always kept (attention sink)
 * @param window       most recent tokens before the query block always kept
 * @param topkBlock    key block size of the Quest-style {@code topk} mode (budgets are rounded up to it)
 * @param boundaries   the DHSA chunk boundary detector
 * @param exactLastChunk whether the prompt's last prefill chunk (the one whose output is the first
 *                     answer token, where the question usually is) attends to every key: costs one
 *                     chunk of dense attention, and keeps a block mean dominated by the text before
 *                     the question from choosing the keys the answer needs
 */
public record SparseAttentionSettings(AttentionMode mode, int budget, int decodeBudget, int sink, int window,
                                      int topkBlock, BoundaryParams boundaries, boolean exactLastChunk) {
    /** A decode budget of 0: decoded tokens attend to every key. */
    public static final int DENSE_DECODE = 0;
    public static final int DEFAULT_BUDGET = 1024;
    public static final int DEFAULT_DECODE_BUDGET = DENSE_DECODE;
    public static final int DEFAULT_SINK = 128;
    public static final int DEFAULT_WINDOW = 128;
    public static final int DEFAULT_TOPK_BLOCK = 64;

    /** With the last prefill chunk exact. */
    public SparseAttentionSettings(AttentionMode mode, int budget, int decodeBudget, int sink, int window,
                                   int topkBlock, BoundaryParams boundaries) {
        this(mode, budget, decodeBudget, sink, window, topkBlock, boundaries, true);
    }

    public SparseAttentionSettings {
        if (mode == null) throw new IllegalArgumentException("attention mode is required");
        if (boundaries == null) throw new IllegalArgumentException("boundary parameters are required");
        if (sink < 0) throw new IllegalArgumentException("sink must be >= 0, got " + sink);
        if (window < 0) throw new IllegalArgumentException("window must be >= 0, got " + window);
        if (topkBlock < 1) throw new IllegalArgumentException("topk block must be >= 1, got " + topkBlock);
        if (budget < sink + window + 1) {
            throw new IllegalArgumentException("budget " + budget + " must exceed sink + window = " + (sink + window));
        }
        if (decodeBudget != DENSE_DECODE && decodeBudget < sink + window + 1) {
            throw new IllegalArgumentException("decode budget " + decodeBudget + " must be 0 (dense decode) or exceed sink + window = " + (sink + window));
        }
    }

    /**
     * The defaults of methods.md section 2 for {@code mode}: budget 1,024, sink 128, window 128,
     * last prefill chunk exact, and dense decode (a one-token DHSA block lost the passkey on the
     * evaluation model even at a quarter of the keys; decision 0060).
     */
    public static SparseAttentionSettings of(AttentionMode mode) {
        return new SparseAttentionSettings(mode, DEFAULT_BUDGET, DEFAULT_DECODE_BUDGET, DEFAULT_SINK, DEFAULT_WINDOW,
                DEFAULT_TOPK_BLOCK, BoundaryParams.defaults());
    }

    /** Dense attention: the safe default. */
    public static SparseAttentionSettings dense() {
        return of(AttentionMode.DENSE);
    }

    public SparseAttentionSettings withMode(AttentionMode m) {
        return new SparseAttentionSettings(m, budget, decodeBudget, sink, window, topkBlock, boundaries, exactLastChunk);
    }

    public SparseAttentionSettings withBudget(int b) {
        return new SparseAttentionSettings(mode, b, decodeBudget, sink, window, topkBlock, boundaries, exactLastChunk);
    }

    public SparseAttentionSettings withDecodeBudget(int b) {
        return new SparseAttentionSettings(mode, budget, b, sink, window, topkBlock, boundaries, exactLastChunk);
    }

    public SparseAttentionSettings withSinkAndWindow(int s, int w) {
        return new SparseAttentionSettings(mode, budget, decodeBudget, s, w, topkBlock, boundaries, exactLastChunk);
    }

    public SparseAttentionSettings withTopkBlock(int b) {
        return new SparseAttentionSettings(mode, budget, decodeBudget, sink, window, b, boundaries, exactLastChunk);
    }

    public SparseAttentionSettings withBoundaries(BoundaryParams p) {
        return new SparseAttentionSettings(mode, budget, decodeBudget, sink, window, topkBlock, p, exactLastChunk);
    }

    /**
     * The key budget of a query block of {@code queryRows} rows (decode when 1), checked to hold
     * every forced key; {@code topk} budgets are rounded up to whole key blocks.
     */
    public int budgetFor(int queryRows) {
        if (queryRows == 1 && decodeBudget == DENSE_DECODE) return Integer.MAX_VALUE;   // never below the window: dense
        int b = queryRows == 1 ? decodeBudget : budget;
        int forced = sink + window + queryRows;
        if (mode.isSparse() && b < forced) {
            throw new IllegalArgumentException(mode.cliName() + " budget " + b + " cannot hold the " + forced
                    + " forced keys (sink " + sink + " + window " + window + " + query block " + queryRows + ")");
        }
        if (mode == AttentionMode.TOPK) {
            int forcedBlocks = ceilDiv(sink, topkBlock) + ceilDiv(window + queryRows, topkBlock) + 1;
            b = Math.max(ceilDiv(b, topkBlock), forcedBlocks) * topkBlock;
        }
        return b;
    }

    /** The path of the prompt's last prefill chunk: {@link AttentionPath#EVERY_KEY} when {@link #exactLastChunk}. */
    public AttentionPath lastChunk() {
        return exactLastChunk ? AttentionPath.EVERY_KEY : AttentionPath.AS_CONFIGURED;
    }

    public SparseAttentionSettings withExactLastChunk(boolean exact) {
        return new SparseAttentionSettings(mode, budget, decodeBudget, sink, window, topkBlock, boundaries, exact);
    }

    /**
     * Why sparse attention {@code mode} does not run a {@code arch} model, {@code why} naming the
     * feature it cannot honour (sliding-window layers, attention soft-capping): the refusal the
     * engine gives, like the one for sparse attention over the tiered KV store.
     */
    public static String denseOnlyMessage(AttentionMode mode, String arch, String why) {
        return "sparse attention (" + mode.cliName() + ") does not run this " + arch + " model because of " + why
                + ": choose dense attention for it";
    }

        static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
