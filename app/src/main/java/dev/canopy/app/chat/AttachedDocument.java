package dev.canopy.app.chat;

/**
 * A document read for the chat.
 *
 * @param name       file name
 * @param text       its text, possibly cut to fit the context window
 * @param totalChars length of the whole text
 * @param truncated  whether {@code text} is only the beginning
 */
public record AttachedDocument(String name, String text, int totalChars, boolean truncated) {}
