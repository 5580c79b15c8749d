package dev.canopy.natives.rpc;

import dev.canopy.natives.BackendDevice;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import dev.canopy.natives.llama.ContextParams;
import dev.canopy.natives.llama.DeviceSplit;
import dev.canopy.natives.llama.LlamaBatch;
import dev.canopy.natives.llama.LlamaContext;
import dev.canopy.natives.llama.LlamaModel;
import dev.canopy.natives.llama.ModelParams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The RPC plug-in the build compiles: a server on this process's CPU (in a background thread, as
 * ggml's rpc-server would run it), the Java handshake against it, and a model whose layers libllama
 * places on the remote device computing the CPU's logits.
 */
class RpcBackendTest {
    private static RpcEndpoint worker;

    @BeforeAll
    static void startWorker() throws Exception {
        Optional<RpcBackend> rpc = RpcBackend.find();
        if (rpc.isEmpty()) System.out.println("RpcBackendTest: skipped, this build has no RPC backend (libggml-rpc; g++ missing?)");
        assumeTrue(rpc.isPresent(), "no RPC backend in this build");
        worker = new RpcEndpoint("127.0.0.1", freePort());
        BackendDevice cpu = NativeRuntime.get().devices().stream().filter(d -> d.kind() == BackendDevice.Kind.CPU).findFirst().orElseThrow();
        Thread server = new Thread(() -> rpc.get().serve(worker, Optional.empty(), 1, cpu), "rpc-server");
        server.setDaemon(true);   // ggml's server has no stop; it ends with the test JVM
        server.start();
        RpcProbe.awaitReady(worker, Duration.ofSeconds(20));
    }

    @Test
    void theWorkerAnswersTheHandshakeWithItsDeviceMemory() {
        WorkerStatus status = RpcProbe.probe(worker, Duration.ofSeconds(5));
        assertThat(status.protocol()).isEqualTo(RpcProbe.PROTOCOL);
        assertThat(status.devices()).hasSize(1);
        assertThat(status.devices().getFirst().total()).isPositive();
        assertThat(status.devices().getFirst().free()).isPositive().isLessThanOrEqualTo(status.devices().getFirst().total());
    }

    @Test
    void layersOnTheWorkerGiveTheCpusLogits(@TempDir Path dir) throws IOException {
        Path file = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny.gguf"));
        RpcBackend.RemoteWorker remote = RpcBackend.require().connect(worker);
        assertThat(remote.deviceNames()).singleElement().asString().startsWith("RPC");

        int[] tokens;
        float[] local;
        try (LlamaModel model = LlamaModel.load(file, ModelParams.cpu())) {
            tokens = model.vocab().tokenize("Hello world, this is Canopy.", true, false);
            local = lastLogits(model, tokens);
        }
        // layer 0 on the CPU, layer 1 and the output on the worker
        DeviceSplit split = new DeviceSplit(remote.devices(), List.of(1.0));
        assertThat(split.assign(2, 2)).containsExactly(-1, 0, 0);
        try (LlamaModel model = LlamaModel.load(file, ModelParams.cpu().withGpuLayers(2).withSplit(split))) {
            float[] remoteLogits = lastLogits(model, tokens);
            assertThat(remoteLogits).hasSize(local.length);
            for (int i = 0; i < local.length; i++) assertThat(remoteLogits[i]).isCloseTo(local[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    /**
     * A worker that vanished (a machine asleep, a network gone) must fail the connection, not leave a
     * recv waiting forever: both ends of ggml-rpc's connections run TCP keep-alive (Canopy's patch
     * ggml-rpc-keepalive.patch). Linux shows a socket's keep-alive timer in /proc/net/tcp (timer 02);
     * an idle connection without it shows none (00). The client's side is checked (the worker's may
     * still be sending, which shows the retransmission timer instead).
     */
    @Test
    void bothEndsOfAConnectionProbeForAVanishedPeer(@TempDir Path dir) throws IOException, InterruptedException {
        Path table = Path.of("/proc/net/tcp");
        assumeTrue(Files.isReadable(table), "no /proc/net/tcp (not Linux)");
        Path file = TinyModels.write(TinyModelSpec.tiny("llama"), dir.resolve("tiny.gguf"));
        RpcBackend.RemoteWorker remote = RpcBackend.require().connect(worker);
        try (LlamaModel model = LlamaModel.load(file, ModelParams.cpu().withGpuLayers(2)
                .withSplit(new DeviceSplit(remote.devices(), List.of(1.0))))) {
            String port = String.format("%04X", worker.port());
            List<String[]> clients = List.of();
            for (long end = System.nanoTime() + 10_000_000_000L; System.nanoTime() < end; Thread.sleep(20)) {
                clients = Files.readAllLines(table).stream().skip(1).map(l -> l.trim().split("\\s+"))
                        .filter(f -> f[3].equals("01") && f[2].endsWith(":" + port)).toList();
                // the weights may still be on their way (retransmission timer 01): wait for an idle connection
                if (!clients.isEmpty() && clients.stream().allMatch(f -> f[4].startsWith("00000000:"))) break;
            }
            assertThat(clients).as("this process's connections to the worker, while a model has layers there").isNotEmpty();
            assertThat(clients).allSatisfy(f -> assertThat(f[5]).as("timer of the idle connection %s -> %s", f[1], f[2]).startsWith("02:"));
        }
    }

    private static float[] lastLogits(LlamaModel model, int[] tokens) {
        try (LlamaContext ctx = LlamaContext.create(model, ContextParams.of(256).withThreads(2));
             LlamaBatch batch = new LlamaBatch(tokens.length, 1)) {
            for (int i = 0; i < tokens.length; i++) batch.add(tokens[i], i, i == tokens.length - 1, 0);
            ctx.decode(batch);
            return ctx.logits(-1);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) { return s.getLocalPort(); }
    }

}
