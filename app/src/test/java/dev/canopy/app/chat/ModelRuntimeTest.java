package dev.canopy.app.chat;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.engine.EngineOptions;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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
            ModelRuntime.Lease lease = runtime.lease(new ConversationId(1), Optional.empty());
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

    @Test
    void backgroundWorkGivesWayToAnswersAndToUnloading() throws Exception {
        Path file = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny-bg.gguf"));
        try (ModelRuntime runtime = new ModelRuntime()) {
            assertThat(runtime.backgroundLease()).as("no model: nothing to lease").isEmpty();
            runtime.load(file, EngineOptions.defaults().withThreads(1).withContext(256));
            ModelRuntime.BackgroundLease background = runtime.backgroundLease().orElseThrow();
            CompletableFuture<ModelRuntime.Lease> answer = CompletableFuture.supplyAsync(() -> runtime.lease(new ConversationId(1), Optional.empty()));
            awaitCancelled(background);
            assertThat(answer).as("the answer waits only for the background work to stop").isNotDone();
            background.close();
            ModelRuntime.Lease lease = answer.get(30, TimeUnit.SECONDS);
            assertThat(runtime.backgroundLease()).as("no background work starts while an answer runs").isEmpty();
            lease.close();

            ModelRuntime.BackgroundLease again = runtime.backgroundLease().orElseThrow();
            CompletableFuture<Void> unload = CompletableFuture.runAsync(runtime::unload);
            awaitCancelled(again);
            again.close();
            unload.get(30, TimeUnit.SECONDS);
            assertThat(runtime.model()).isEmpty();
            assertThat(runtime.backgroundLease()).isEmpty();
        }
    }

    @Test
    void backgroundWorkGivesWayToDocumentWorkUntilItEnds() throws Exception {
        Path file = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny-doc.gguf"));
        try (ModelRuntime runtime = new ModelRuntime()) {
            runtime.load(file, EngineOptions.defaults().withThreads(1).withContext(256));
            ModelRuntime.BackgroundLease background = runtime.backgroundLease().orElseThrow();
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            CompletableFuture<Optional<Integer>> summary = CompletableFuture.supplyAsync(() -> runtime.withModelInForeground(m -> {
                started.countDown();
                try {
                    finish.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return m.tokenizer().encode("a document", false).length;
            }));
            try {
                awaitCancelled(background);
                assertThat(started.await(300, TimeUnit.MILLISECONDS)).as("the summary waits for the background work to stop").isFalse();
                background.close();
                assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
                assertThat(runtime.backgroundLease()).as("no background work starts while the summary runs").isEmpty();
            } finally {
                background.close();   // a failed assertion must not leave the runtime waiting for its lease
                finish.countDown();
            }
            assertThat(summary.get(30, TimeUnit.SECONDS)).hasValueSatisfying(n -> assertThat(n).isPositive());
            try (ModelRuntime.BackgroundLease after = runtime.backgroundLease().orElseThrow()) {
                assertThat(after.cancel().isCancelled()).as("background work resumes after the summary").isFalse();
            }
        }
    }

    private static void awaitCancelled(ModelRuntime.BackgroundLease lease) throws InterruptedException {
        for (int i = 0; i < 6_000 && !lease.cancel().isCancelled(); i++) Thread.sleep(5);
        assertThat(lease.cancel().isCancelled()).isTrue();
    }
}
