package dev.canopy.tools.cli;

import dev.canopy.app.cli.CanopyCli;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import dev.canopy.natives.rpc.RpcBackend;
import dev.canopy.natives.rpc.RpcEndpoint;
import dev.canopy.natives.rpc.RpcProbe;
import dev.canopy.natives.rpc.RpcWorkerException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code canopy bench-rpc} over two workers on loopback (was in app's RpcCliTest, whose harness this repeats). */
class BenchRpcCliTest {
    @TempDir
    static Path dir;
    static Path model;
    static final List<Process> workers = new ArrayList<>();
    static final List<RpcEndpoint> endpoints = new ArrayList<>();

    @BeforeAll
    static void startTwoWorkers() throws Exception {
        boolean present = RpcBackend.find().isPresent();
        if (!present) System.out.println("BenchRpcCliTest: skipped, this build has no RPC backend (libggml-rpc; g++ missing?)");
        assumeTrue(present, "no RPC backend in this build");
        model = TinyModels.write(TinyModelSpec.tiny("llama").withShape(64, 6, 4, 2, 128), dir.resolve("tiny6.gguf"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0; i < 2; i++) {
            RpcEndpoint e = new RpcEndpoint("127.0.0.1", freePort());
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    CanopyCli.class.getName(), "worker", "--port", Integer.toString(e.port()), "--device", "cpu", "--threads", "1")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("worker" + i + ".log").toFile()).start();
            workers.add(p);
            endpoints.add(e);
        }
        for (RpcEndpoint e : endpoints) awaitHandshake(e);
    }

    @AfterAll
    static void stopWorkers() {
        workers.forEach(Process::destroy);
    }

    private static String rpcList() {
        return endpoints.get(0) + "," + endpoints.get(1);
    }

    @Test
    void benchRpcPrintsBothSpeedsAndTheirRatio() {
        String[] r = ToolsCliTest.run("bench-rpc", "--model", model.toString(), "--rpc", rpcList(), "--gpu-layers", "5",
                "--prompt-tokens", "32", "--gen-tokens", "6", "--repeats", "1", "--threads", "2");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("this computer only").contains("split over 2 workers").contains("split / local")
                .contains("greedy tokens identical");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) { return s.getLocalPort(); }
    }

    static void awaitHandshake(RpcEndpoint endpoint) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                RpcProbe.probe(endpoint, Duration.ofSeconds(2));
                return;
            } catch (RpcWorkerException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(100);
            }
        }
    }
}
