package dev.canopy.app.api;

import dev.canopy.app.chat.KvTiers;
import dev.canopy.app.chat.ModelRuntime;
import dev.canopy.engine.EngineOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A real API server on a free loopback port over a real model (one thread: the test machine is shared). */
final class TestServer implements AutoCloseable {
    final ModelRuntime runtime = new ModelRuntime();
    final ApiServer server;

    TestServer(Path model, int context, ApiConfig config, Optional<KvTiers> tiers) {
        runtime.load(model, EngineOptions.defaults().withContext(context).withThreads(1).withChunk(256));
        server = ApiServer.start(config, new RuntimeModelAccess(runtime, () -> {}, () -> tiers), () -> "tiny");
    }

    static ApiConfig config(int parallel, int queue, String key) {
        return new ApiConfig("127.0.0.1", 0, Optional.ofNullable(key), parallel, queue, List.of(), false, ApiConfig.DEFAULT_MAX_BODY);
    }

    String url() { return server.url(); }

    @Override
    public void close() {
        server.close();
        runtime.close();
    }
}
