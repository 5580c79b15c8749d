package dev.canopy.tools.cli;

import dev.canopy.app.cli.LoopbackWorkers;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import dev.canopy.natives.rpc.RpcBackend;
import dev.canopy.natives.rpc.RpcEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code canopy bench-rpc} over two workers on loopback (the workers: app's LoopbackWorkers, as RpcCliTest). */
class BenchRpcCliTest {
    @TempDir
    static Path dir;
    static Path model;
    static LoopbackWorkers workers;
    static List<RpcEndpoint> endpoints;

    @BeforeAll
    static void startTwoWorkers() throws Exception {
        boolean present = RpcBackend.find().isPresent();
        if (!present) System.out.println("BenchRpcCliTest: skipped, this build has no RPC backend (libggml-rpc; g++ missing?)");
        assumeTrue(present, "no RPC backend in this build");
        model = TinyModels.write(TinyModelSpec.tiny("llama").withShape(64, 6, 4, 2, 128), dir.resolve("tiny6.gguf"));
        workers = LoopbackWorkers.start(2, dir);
        endpoints = workers.endpoints();
    }

    @AfterAll
    static void stopWorkers() {
        if (workers != null) workers.close();
    }

    private static String rpcList() {
        return workers.rpcList();
    }

    @Test
    void benchRpcPrintsBothSpeedsAndTheirRatio() {
        String[] r = ToolsCliTest.run("bench-rpc", "--model", model.toString(), "--rpc", rpcList(), "--gpu-layers", "5",
                "--prompt-tokens", "32", "--gen-tokens", "6", "--repeats", "1", "--threads", "2");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("this computer only").contains("split over 2 workers").contains("split / local")
                .contains("greedy tokens identical");
    }

    @Test
    void benchRpcRunsCanopysOwnEngineOverTheWorkers() {
        String[] r = ToolsCliTest.run("bench-rpc", "--model", model.toString(), "--rpc", rpcList(), "--gpu-layers", "5",
                "--prompt-tokens", "32", "--gen-tokens", "6", "--repeats", "1", "--threads", "2", "--engine", "canopy");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("(canopy engine)").containsPattern("split: layers 0-1 on the CPU here; layers 2-4 on RPC\\d+ on worker " + endpoints.get(0))
                .contains("split / local").contains("greedy tokens identical");
        if (java.nio.file.Files.isReadable(Path.of("/proc/net/dev"))) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes on the loopback interface .*: (\\d+) per prompt token, (\\d+) per decoded token")
                    .matcher(r[1]);
            assertThat(m.find()).as(r[1]).isTrue();
            // each decoded token sends at least the hidden state to the workers and reads the logits' layer input back
            assertThat(Long.parseLong(m.group(2))).as("bytes per decoded token").isGreaterThan(2L * 64 * 4);
            assertThat(Long.parseLong(m.group(1))).as("bytes per prompt token").isPositive();
        }
    }
}
