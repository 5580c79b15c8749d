package dev.canopy.engine.speculative;

/**
 * How many tokens the next draft may hold, following what the model confirms and what it costs.
 * It starts at {@value #START} (a verification step of 4 rows, the cheapest), doubles plus one after
 * a fully confirmed draft (3, 7, 15: filling the 4-, 8- and 16-row graphs), up to the limit, and
 * otherwise falls back to one past the confirmed part (at least {@value #START}). Every {@value #WINDOW} proposed tokens it checks that speculating
 * pays: the share confirmed must reach {@value #MIN_ACCEPTANCE}, and, once one-token steps have been
 * timed (the first tokens decode one at a time to time them), a token from verification steps must
 * cost less than the fastest one-token step. When it does not pay,
 * speculation pauses (one token per step, no extra cost) for {@value #FIRST_PAUSE} tokens, doubling
 * on each further failure up to {@value #MAX_PAUSE}, then tries again; and at least long enough that
 * the time the failed window lost (against one-token steps) is {@value #LOSS_BUDGET} of the time the
 * pause takes, so trying again and again costs at most about that share, however dear a verification
 * step is (an unrelated draft model over a CPU where a 4-row step costs 3 one-token steps loses 2%,
 * not 15%). A window whose first
 * {@value #NONE_CONFIRMED} proposed tokens were all rejected (an unrelated draft model) ends at once. When a verified row costs at
 * least a one-token step, no acceptance rate can pay (each row gives at most one token): the pause is
 * {@value #MAX_PAUSE} at once (measured on CPUs whose multi-row kernels cost about a step per row,
 * decision 0180). Not thread-safe: one generation.
 */
public final class DraftLength {
    static final int WINDOW = 16;
    static final int START = 3;
    /** Proposed tokens after which a window with none confirmed ends at once (two drafts of {@value #START}). */
    static final int NONE_CONFIRMED = 2 * START;
    static final double MIN_ACCEPTANCE = 0.25;
    static final int FIRST_PAUSE = 32;
    static final int MAX_PAUSE = 1024;
    static final int TIMED_PLAIN_STEPS = 3;
    /** The share of decode time that windows which did not pay may cost, averaged over their pauses. */
    static final double LOSS_BUDGET = 0.02;

    private final int max;
    private int length;
    private int pausedFor;              // tokens to decode one at a time before proposing again
    private int nextPause = FIRST_PAUSE;
    private int windowDrafted, windowAccepted, windowTokens, windowRows;
    private long windowNanos;
    private long plainNanos;            // the fastest one-token step seen (a graph build never counts), 0 until one was timed
    private int plainSteps;
    private int pauses;

    /** At most {@code max} tokens per draft (at least 1). */
    public DraftLength(int max) {
        if (max < 1) throw new IllegalArgumentException("a draft holds at least one token");
        this.max = max;
        this.length = Math.min(max, START);
    }

    /**
     * The next draft's length limit, 0 while speculation is paused (each call counts one paused
     * token) and for the first {@value #TIMED_PLAIN_STEPS} tokens, whose one-token steps set the cost to beat.
     */
    public int next() {
        if (plainSteps < TIMED_PLAIN_STEPS) return 0;
        if (pausedFor > 0) {
            pausedFor--;
            return 0;
        }
        return length;
    }

    /** A one-token step took {@code nanos}. */
    public void plainStep(long nanos) {
        plainNanos = plainNanos == 0 ? nanos : Math.min(plainNanos, nanos);
        plainSteps++;
    }

    /** A verification step of a {@code drafted}-token draft confirmed {@code accepted} of them and took {@code nanos}. */
    public void verified(int drafted, int accepted, long nanos) {
        length = accepted == drafted ? Math.min(max, 2 * length + 1) : Math.min(max, Math.max(START, accepted + 1));
        windowDrafted += drafted;
        windowAccepted += accepted;
        windowTokens += 1 + accepted;
        windowRows += 1 + drafted;
        windowNanos += nanos;
        boolean noneConfirmed = windowAccepted == 0 && windowDrafted >= NONE_CONFIRMED;
        if (windowDrafted < WINDOW && !noneConfirmed) return;
        boolean pays = windowAccepted >= MIN_ACCEPTANCE * windowDrafted
                && (plainNanos == 0 || (double) windowNanos / windowTokens < plainNanos);
        if (pays) {
            nextPause = FIRST_PAUSE;
        } else {
            boolean cannotPay = plainNanos > 0 && (double) windowNanos / windowRows >= plainNanos;
            pausedFor = cannotPay ? MAX_PAUSE : Math.max(nextPause, pauseToRecover(windowNanos, windowTokens));
            nextPause = cannotPay ? MAX_PAUSE : Math.min(MAX_PAUSE, 2 * nextPause);
            length = Math.min(max, START);
            pauses++;
        }
        windowDrafted = windowAccepted = windowTokens = windowRows = 0;
        windowNanos = 0;
    }

    /**
     * Tokens of one-token decoding over which a window that took {@code nanos} for {@code tokens}
     * tokens loses only {@value #LOSS_BUDGET} of their time (0 before a one-token step was timed).
     */
    private int pauseToRecover(long nanos, int tokens) {
        if (plainNanos == 0) return 0;
        double lost = nanos - (double) tokens * plainNanos;
        return (int) Math.min(MAX_PAUSE, Math.max(0, Math.ceil(lost / (LOSS_BUDGET * plainNanos))));
    }

    /** Times speculation paused itself because it did not pay. */
    public int pauses() { return pauses; }
}
