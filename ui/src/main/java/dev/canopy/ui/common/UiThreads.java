package dev.canopy.ui.common;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Where view-model work runs: long work on a background thread, state changes on the UI thread.
 * The desktop posts to the FX thread; tests post inline, so view-models need no toolkit.
 *
 * @param background runs long work (model loading, generation, file scans)
 * @param ui         applies results to observable state
 */
public record UiThreads(ExecutorService background, Consumer<Runnable> ui) {

    /** A daemon worker for long work and {@code ui} for state changes. */
    public static UiThreads of(Consumer<Runnable> ui) {
        return new UiThreads(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "canopy-worker");
            t.setDaemon(true);
            return t;
        }), ui);
    }

    public void inBackground(Runnable work) {
        background.execute(work);
    }

    public void onUi(Runnable change) {
        ui.accept(change);
    }
}
