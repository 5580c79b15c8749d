package dev.canopy.engine;

import java.util.concurrent.atomic.AtomicBoolean;

/** Set from any thread to stop a generation at the next chunk or token boundary. */
public final class CancellationToken {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() { cancelled.set(true); }
    public boolean isCancelled() { return cancelled.get(); }
}
