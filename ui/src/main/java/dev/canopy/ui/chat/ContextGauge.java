package dev.canopy.ui.chat;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.Locale;

/**
 * How full the open conversation's context window is: tokens used of the window, as a fraction, in
 * words, and a warning level that rises before the conversation overflows (then the oldest
 * messages are left out of the prompt). Follows a streamed answer token by token.
 */
public final class ContextGauge {
    /** How close the conversation is to the end of the window. */
    public enum Level {
        ROOMY, FILLING, NEARLY_FULL;

        /** Fraction of the window from which the gauge shows this level. */
        static Level of(double fraction) {
            return fraction >= NEARLY_FULL_FROM ? NEARLY_FULL : fraction >= FILLING_FROM ? FILLING : ROOMY;
        }
    }

    static final double FILLING_FROM = 0.70;
    static final double NEARLY_FULL_FROM = 0.90;

    private final DoubleProperty fraction = new SimpleDoubleProperty(0);
    private final StringProperty text = new SimpleStringProperty("");
    private final StringProperty advice = new SimpleStringProperty("");
    private final ObjectProperty<Level> level = new SimpleObjectProperty<>(Level.ROOMY);
    private int used;
    private int size;

    /** Tokens used of the window, 0..1. */
    public ReadOnlyDoubleProperty fractionProperty() { return fraction; }
    /** "1,002 / 8,192 tokens" ("≈" in front when counted without the model's tokenizer). */
    public ReadOnlyStringProperty textProperty() { return text; }
    /** What happens at the limit, when it is near; empty while there is room. */
    public ReadOnlyStringProperty adviceProperty() { return advice; }
    public ReadOnlyObjectProperty<Level> levelProperty() { return level; }
    public int used() { return used; }
    public int size() { return size; }

    /** No conversation open. */
    void clear() {
        used = 0;
        size = 0;
        fraction.set(0);
        text.set("");
        advice.set("");
        level.set(Level.ROOMY);
    }

    void show(int usedTokens, int windowTokens, boolean estimated) {
        used = Math.max(0, usedTokens);
        size = Math.max(0, windowTokens);
        double f = size == 0 ? 0 : Math.min(1.0, used / (double) size);
        fraction.set(f);
        text.set((estimated ? "≈" : "") + String.format(Locale.ROOT, "%,d / %,d tokens", used, size));
        Level l = size == 0 ? Level.ROOMY : Level.of(f);
        level.set(l);
        advice.set(switch (l) {
            case ROOMY -> "";
            case FILLING -> String.format(Locale.ROOT, "%.0f%% of the context window used. When it is full, the oldest "
                    + "messages are left out of what the model reads.", f * 100);
            case NEARLY_FULL -> "The context window is nearly full: the next answers will leave out the oldest messages. "
                    + "Start a new chat or branch from a recent message to keep everything in view.";
        });
    }

    /** An answer being written: {@code tokens} more than the prompt took. */
    void grow(int tokens) {
        show(used + tokens, size, false);
    }
}
