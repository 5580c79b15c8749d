package dev.canopy.app.download;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** Cancels a download from any thread; also closes the open connection so a stalled read returns at once. */
public final class CancelSignal {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();

    public void cancel() {
        if (cancelled.compareAndSet(false, true)) hooks.forEach(Runnable::run);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    void onCancel(Runnable hook) {
        hooks.add(hook);
        if (cancelled.get()) hook.run();
    }

    void remove(Runnable hook) {
        hooks.remove(hook);
    }
}
