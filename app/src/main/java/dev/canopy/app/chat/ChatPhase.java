package dev.canopy.app.chat;

/** What an answer in progress is doing. */
public enum ChatPhase {
    LOADING_MODEL, RECALLING, READING_PROMPT, WRITING
}
