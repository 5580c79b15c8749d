package dev.canopy.app.chat;

import dev.canopy.engine.EngineOptions;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runtime never frees a model or session that an answer or a token count is still using. */
class ModelRuntimeTest {
    @TempDir Path dir;

    @Test
    void unloadingWaitsUntilTheLeaseIsReturned() throws Exception {
        Path file = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny.gguf"));
        try (ModelRuntime runtime = new ModelRuntime()) {
            runtime.load(file, EngineOptions.defaults().withThreads(1).withContext(256));
            ModelRuntime.Lease lease = runtime.lease("c1", Optional.empty());
            CompletableFuture<Void> unload = CompletableFuture.runAsync(runtime::unload);
            assertThatThrownBy(() -> unload.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            // the leased model still works while the unload waits
            assertThat(lease.model().tokenizer().encode("hello there", false)).isNotEmpty();
            lease.close();
            unload.get(30, TimeUnit.SECONDS);
            assertThat(runtime.model()).isEmpty();
            assertThat(runtime.withModel(m -> 1)).as("nothing loaded: no work runs").isEmpty();
        }
    }
}
