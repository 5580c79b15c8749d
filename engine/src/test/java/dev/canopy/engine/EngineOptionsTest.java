package dev.canopy.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EngineOptionsTest {
    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

    @Test
    void threadsAreAllProcessorsForZeroAndNeverMoreThanThereAre() {
        EngineOptions o = EngineOptions.defaults();
        assertThat(o.effectiveThreads()).isEqualTo(PROCESSORS);
        assertThat(o.withThreads(1).effectiveThreads()).isEqualTo(1);
        assertThat(o.withThreads(1000).effectiveThreads()).isEqualTo(PROCESSORS);
        assertThat(o.withThreads(PROCESSORS).effectiveThreads()).isEqualTo(PROCESSORS);
    }
}
