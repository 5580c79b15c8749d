package dev.canopy.engine;

/** Why a generation ended. */
public enum StopReason {
    /** The model produced an end-of-generation token. */
    END_OF_TEXT,
    /** The requested maximum number of new tokens was reached. */
    MAX_TOKENS,
    /** One of the request's stop strings appeared (it is not part of the text). */
    STOP_STRING,
    /** The caller cancelled. The text so far is kept. */
    CANCELLED,
    /** The context window is full; the answer is incomplete and says so. */
    CONTEXT_FULL
}
