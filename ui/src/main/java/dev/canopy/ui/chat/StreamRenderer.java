package dev.canopy.ui.chat;

import javafx.animation.AnimationTimer;
import javafx.scene.layout.VBox;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shows streamed answers without stalling the window: a text change only marks its message; an
 * animation timer renders the marked messages' latest text in a frame, at most once per
 * {@code everyMs}, and only the Markdown blocks that changed ({@link MarkdownView#update}). So
 * 2,000 tokens cost a few dozen renders, not 2,000, and typing or scrolling in between gets its frames.
 * Runs on the FX thread; the timer stops while nothing is waiting.
 */
final class StreamRenderer {
    private final long everyNanos;
    private final Map<MessageItem, VBox> waiting = new LinkedHashMap<>();
    private long last;
    private boolean running;
    private final AnimationTimer timer = new AnimationTimer() {
        @Override
        public void handle(long now) {
            if (now - last < everyNanos) return;
            last = now;
            waiting.forEach((m, body) -> MarkdownView.update(body, m.text()));
            waiting.clear();
            stop();
            running = false;
        }
    };

    StreamRenderer(long everyMs) {
        this.everyNanos = everyMs * 1_000_000;
    }

    /** {@code m}'s text changed: {@code body} shows it in one of the next frames. */
    void changed(MessageItem m, VBox body) {
        waiting.put(m, body);
        if (!running) {
            running = true;
            timer.start();
        }
    }
}
