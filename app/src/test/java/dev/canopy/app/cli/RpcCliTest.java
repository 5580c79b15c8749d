package dev.canopy.app.cli;

import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import dev.canopy.natives.rpc.RpcBackend;
import dev.canopy.natives.rpc.RpcEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code canopy worker} and {@code --rpc}: two workers as child processes on loopback, a model split over
 * this process's CPU and both of them, and the errors a worker that is down or unsafe gives.
 */
class RpcCliTest {
    @TempDir
    static Path dir;
    static Path model;
    static LoopbackWorkers workers;
    static List<RpcEndpoint> endpoints;

    @BeforeAll
    static void startTwoWorkers() throws Exception {
        boolean present = RpcBackend.find().isPresent();
        if (!present) System.out.println("RpcCliTest: skipped, this build has no RPC backend (libggml-rpc; g++ missing?)");
        assumeTrue(present, "no RPC backend in this build");
        // 6 layers, --gpu-layers 5: 0-1 stay here, 2-4 go to the first worker, 5 and the output to the second
        model = TinyModels.write(TinyModelSpec.tiny("llama").withShape(64, 6, 4, 2, 128), dir.resolve("tiny6.gguf"));
        workers = LoopbackWorkers.start(2, dir);
        endpoints = workers.endpoints();
    }

    @AfterAll
    static void stopWorkers() {
        if (workers != null) workers.close();
    }

    private static String[] generate(String... extra) {
        List<String> args = new ArrayList<>(List.of("generate", "--model", model.toString(), "--prompt", "Once upon a time, in a small village by the sea",
                "--max-tokens", "12", "--temperature", "0", "--context", "256", "--threads", "2", "--engine", "llama"));
        args.addAll(List.of(extra));
        return KvFlagsCliTest.run(args.toArray(String[]::new));
    }

    private static String rpcList() {
        return workers.rpcList();
    }

    @Test
    void aModelSplitOverThisCpuAndTwoWorkersGivesTheLocalGreedyOutput() {
        String[] local = generate("--gpu-layers", "0");
        assertThat(local[0]).as(local[2]).isEqualTo("0");
        String[] split = generate("--gpu-layers", "5", "--rpc", rpcList());
        assertThat(split[0]).as(split[2]).isEqualTo("0");
        assertThat(split[1]).isNotBlank().isEqualTo(local[1]);
        assertThat(split[2]).containsPattern("layers: layers 0-1 on the CPU here; layers 2-4 on RPC\\d+ on worker " + endpoints.get(0)
                + "; layer 5 and the output on RPC\\d+ on worker " + endpoints.get(1));
        // the default engine, Canopy's own (decision 0200), splits the same way; and a second model reconnects to the same workers
        String[] canopy = KvFlagsCliTest.run("generate", "--model", model.toString(), "--prompt", "Once upon a time, in a small village by the sea",
                "--max-tokens", "12", "--temperature", "0", "--context", "256", "--threads", "2", "--gpu-layers", "5", "--rpc", rpcList());
        assertThat(canopy[0]).as(canopy[2]).isEqualTo("0");
        assertThat(canopy[1]).isEqualTo(local[1]);
        assertThat(canopy[2]).doesNotContain("llama.cpp's own decoder").containsPattern("layers: layers 0-1 on the CPU here; layers 2-4 on RPC\\d+ on worker "
                + endpoints.get(0) + "; layer 5 and the output on RPC\\d+ on worker " + endpoints.get(1));
        // and Canopy's own engine, all on this CPU, answers the same
        String[] own = KvFlagsCliTest.run("generate", "--model", model.toString(), "--prompt", "Once upon a time, in a small village by the sea",
                "--max-tokens", "12", "--temperature", "0", "--context", "256", "--threads", "2", "--gpu-layers", "0");
        assertThat(own[0]).as(own[2]).isEqualTo("0");
        assertThat(own[1]).isEqualTo(local[1]);
    }

    @Test
    void infoShowsEachWorkersMemoryAndTheSplit() {
        String[] r = KvFlagsCliTest.run("info", "--model", model.toString(), "--rpc", rpcList(), "--gpu-layers", "5");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("Other computers:").contains(endpoints.get(0) + ": RPC protocol 7.0.0")
                .contains("device 0: ").contains("MiB free of")
                .contains("Split (--gpu-layers 5, by free memory, placed by llama.cpp): layers 0-1 on the CPU here; layers 2-4 on RPC")
                .containsPattern("Split with Canopy's engine \\(each remote layer's weights and KV on its worker\\): layers 0-1 on the CPU here;"
                        + " layers 2-4 on RPC\\d+ on worker " + endpoints.get(0) + "; layer 5 and the output on RPC\\d+ on worker " + endpoints.get(1));
    }

    @Test
    void aWorkerThatIsDownGivesOneLineNamingItAndExitCode2() throws IOException {
        RpcEndpoint down = new RpcEndpoint("127.0.0.1", LoopbackWorkers.freePort());
        String[] r = generate("--rpc", endpoints.get(0) + "," + down);
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2].strip()).isEqualTo("canopy: worker " + down + " refused the connection: is `canopy worker` running there, on that port?");
        // the workers that are up still serve the next run
        assertThat(generate("--gpu-layers", "2", "--rpc", endpoints.get(1).toString())[0]).isEqualTo("0");
    }

    @Test
    void workerRefusesTheNetworkWithoutAllowNetworkAndATakenPort() {
        String[] open = KvFlagsCliTest.run("worker", "--host", "0.0.0.0", "--port", "1");
        assertThat(open[0]).isEqualTo("2");
        assertThat(open[2]).contains("no authentication and no encryption").contains("--allow-network").contains("SSH tunnel");
        String[] taken = KvFlagsCliTest.run("worker", "--port", Integer.toString(endpoints.get(0).port()), "--device", "cpu");
        assertThat(taken[0]).isEqualTo("2");
        assertThat(taken[2]).startsWith("canopy: worker: cannot listen on " + endpoints.get(0));
        String[] badRpc = generate("--rpc", "host:http");
        assertThat(badRpc[0]).isEqualTo("2");
        assertThat(badRpc[2]).contains("--rpc: 'host:http' is not host:port");
    }
}
