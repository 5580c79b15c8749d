package dev.canopy.app.chat;

/**
 * How full the context window is.
 *
 * @param used      tokens the conversation takes
 * @param size      the window
 * @param estimated true when counted without the model's tokenizer (no model loaded yet)
 */
public record ContextUsage(int used, int size, boolean estimated) {
    public double fraction() {
        return size <= 0 ? 0 : Math.min(1.0, used / (double) size);
    }
}
