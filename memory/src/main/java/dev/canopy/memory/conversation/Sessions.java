package dev.canopy.memory.conversation;

import java.time.Duration;

/** Session boundaries: a new session starts after a silence longer than {@link #GAP}. */
public final class Sessions {

    public static final Duration GAP = Duration.ofHours(6);

    private Sessions() {
    }
}
