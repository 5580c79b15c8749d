package dev.canopy.engine;

/** What to do when a conversation no longer fits the context window. */
public enum ContextFullPolicy {
    /** Refuse with a clear message; the user can start a new chat or raise the context size. */
    STOP,
    /** Leave out the oldest turns (the system prompt stays) until the new message fits. */
    DROP_OLDEST
}
