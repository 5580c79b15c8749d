package dev.canopy.ui.settings;

import dev.canopy.app.api.LocalApiService;
import dev.canopy.app.api.ModelAccess;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.ui.common.UiThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.AbstractExecutorService;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings, "Local API server": the switch starts and stops a real server, the key is kept, the status line says where. */
class ApiServerViewModelTest {
    @TempDir Path home;

    /** Only /health is called here: no model is needed. */
    static final ModelAccess NO_MODEL = new ModelAccess() {
        @Override public <T> T withModel(Function<InferenceModel, T> work) { throw new IllegalStateException("no model"); }
        @Override public GenerationSession openSession(dev.canopy.kv.KvKey key) { throw new IllegalStateException("no model"); }
        @Override public void onUnload(Consumer<InferenceModel> beforeClose) {}
        @Override public void removeOnUnload(Consumer<InferenceModel> beforeClose) {}
    };

    static final UiThreads INLINE = new UiThreads(new AbstractExecutorService() {
        @Override public void execute(Runnable r) { r.run(); }
        @Override public void shutdown() {}
        @Override public List<Runnable> shutdownNow() { return List.of(); }
        @Override public boolean isShutdown() { return false; }
        @Override public boolean isTerminated() { return false; }
        @Override public boolean awaitTermination(long t, TimeUnit u) { return true; }
    }, Runnable::run);

    @Test
    void theSwitchStartsAndStopsTheServerAndTheSettingsAreKept() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) { port = s.getLocalPort(); }
        Path file = home.resolve("api-server.json");
        try (LocalApiService service = new LocalApiService(file, NO_MODEL, () -> "m")) {
            ApiServerViewModel vm = new ApiServerViewModel(service, INLINE);
            assertThat(vm.status.get()).isEqualTo("Off");
            vm.generateKey();
            assertThat(vm.key.get()).startsWith("canopy-").hasSizeGreaterThan(30);
            vm.port.set(Integer.toString(port));
            vm.enabled.set(true);
            vm.apply();
            assertThat(vm.status.get()).startsWith("Listening on http://127.0.0.1:" + port + "/v1").contains("0 requests served");
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> models = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(models.statusCode()).as("the generated key is required").isEqualTo(401);

            vm.port.set("not a port");
            vm.apply();
            assertThat(vm.status.get()).contains("port must be a number");
            vm.port.set(Integer.toString(port));
            vm.enabled.set(false);
            vm.apply();
            assertThat(vm.status.get()).isEqualTo("Off");
        }
        try (LocalApiService again = new LocalApiService(file, NO_MODEL, () -> "m")) {
            assertThat(again.settings().port()).isEqualTo(port);
            assertThat(again.settings().key()).startsWith("canopy-");
        }
    }
}
