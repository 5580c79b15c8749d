package dev.canopy.ui.common;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Background work that finished (a summary, a download, a memory written, an export), told to the
 * user without a dialog: view-models post here; the window shows each as a notification.
 */
public final class Notices {
    /**
     * One notice.
     *
     * @param title short, e.g. "Summary ready"
     * @param text  one line on what happened
     */
    public record Notice(String title, String text, Optional<Action> action) {
        public Notice(String title, String text) {
            this(title, text, Optional.empty());
        }
    }

    /**
     * What a notice offers to do (e.g. "Undo"), while it is shown.
     *
     * @param label the button's words
     * @param run   what pressing it does (on the UI thread)
     */
    public record Action(String label, Runnable run) {}

    private final List<Consumer<Notice>> listeners = new CopyOnWriteArrayList<>();
    private final List<Notice> posted = new CopyOnWriteArrayList<>();

    /** Call on the UI thread. */
    public void post(String title, String text) {
        post(new Notice(title, text));
    }

    /** A notice with a button, e.g. "Undo" (call on the UI thread). */
    public void post(String title, String text, Action action) {
        post(new Notice(title, text, Optional.of(action)));
    }

    private void post(Notice n) {
        posted.add(n);
        listeners.forEach(l -> l.accept(n));
    }

    public void onNotice(Consumer<Notice> listener) {
        listeners.add(listener);
    }

    /** Everything posted so far, oldest first. */
    public List<Notice> posted() {
        return List.copyOf(posted);
    }
}
