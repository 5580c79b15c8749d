package dev.canopy.engine.testing;

import dev.canopy.engine.ContextFullException;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationSession;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every engine's batches must do at their edges, whichever engine runs them. */
public final class BatchChecks {
    private BatchChecks() {}

    /** An empty batch gives no results; a sequence longer than the trained context is a clear error. */
    public static void assertEmptyIsEmptyAndTooLongIsAClearError(GenerationSession s) {
        assertThat(s.generateBatch(List.of())).isEmpty();
        assertThatThrownBy(() -> s.generateBatch(List.of(GenerationRequest.greedy("Once upon a time", 4),
                        GenerationRequest.greedy("Once upon a time", 10_000_000))))
                .isInstanceOf(ContextFullException.class).hasMessageContaining("needs 1000000");
    }
}
