package dev.canopy.app.cli;

import dev.canopy.engine.EngineKind;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.InferenceModel;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import dev.canopy.natives.rpc.RpcBackend;
import dev.canopy.natives.rpc.RpcEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Canopy's own engine over other computers (decision 0200): a random-weight model split over this
 * process's CPU and two loopback workers answers token for token as it does on this CPU alone, and as
 * llama.cpp does; the tiered KV store, which would page the workers' KV to this computer, is refused.
 */
class CanopyOverWorkersTest {
    private static final String PROMPT = "Once upon a time, in a small village by the sea, there lived an old fisherman";

    @TempDir
    static Path dir;
    static Path model;
    static LoopbackWorkers workers;
    static List<RpcEndpoint> endpoints;

    @BeforeAll
    static void startTwoWorkers() throws Exception {
        assumeTrue(RpcBackend.find().isPresent(), "CanopyOverWorkersTest: skipped, this build has no RPC backend (libggml-rpc; g++ missing?)");
        model = TinyModels.write(TinyModelSpec.tiny("llama").withShape(64, 6, 4, 2, 128), dir.resolve("tiny6.gguf"));
        workers = LoopbackWorkers.start(2, dir);
        endpoints = workers.endpoints();
    }

    @AfterAll
    static void stopWorkers() {
        if (workers != null) workers.close();
    }

    private static String[] generate(String engine, String... extra) {
        List<String> args = new ArrayList<>(List.of("generate", "--model", model.toString(), "--prompt", PROMPT,
                "--max-tokens", "16", "--temperature", "0", "--context", "256", "--threads", "2", "--engine", engine));
        args.addAll(List.of(extra));
        return KvFlagsCliTest.run(args.toArray(String[]::new));
    }

    @Test
    void canopysEngineSplitOverThisCpuAndTwoWorkersGivesTheLocalGreedyOutput() {
        String[] local = generate("canopy", "--gpu-layers", "0");
        assertThat(local[0]).as(local[2]).isEqualTo("0");
        assertThat(local[1]).isNotBlank();
        String[] llama = generate("llama", "--gpu-layers", "0");
        assertThat(llama[1]).as("llama.cpp on this CPU").isEqualTo(local[1]);

        // 6 layers, --gpu-layers 5: 0-1 stay here, 2-4 go to the first worker, 5 and the output to the second
        String[] split = generate("canopy", "--gpu-layers", "5", "--rpc", workers.rpcList());
        assertThat(split[0]).as(split[2]).isEqualTo("0");
        assertThat(split[1]).as("token for token the local answer").isEqualTo(local[1]);
        assertThat(split[2]).doesNotContain("llama.cpp's own decoder")
                .containsPattern("layers: layers 0-1 on the CPU here; layers 2-4 on RPC\\d+ on worker " + endpoints.get(0)
                        + "; layer 5 and the output on RPC\\d+ on worker " + endpoints.get(1) + "\\R");

        // every layer and the output on the workers, none here
        String[] all = generate("canopy", "--gpu-layers", "-1", "--rpc", workers.rpcList());
        assertThat(all[0]).as(all[2]).isEqualTo("0");
        assertThat(all[1]).isEqualTo(local[1]);
        assertThat(all[2]).as("seven parts (six layers and the output) by each worker's free memory")
                .containsPattern("layers: layers 0-\\d on RPC\\d+ on worker " + endpoints.get(0)
                        + "; layers \\d-5 and the output on RPC\\d+ on worker " + endpoints.get(1));
    }

    /** --tensor-split: given shares instead of free memory; a share of 0 gives a worker no layer. */
    @Test
    void tensorSplitSharesTheLayersAsGivenWithBothEngines() {
        String[] local = generate("llama", "--gpu-layers", "0");
        for (String engine : new String[] {"canopy", "llama"}) {
            String[] first = generate(engine, "--gpu-layers", "-1", "--rpc", workers.rpcList(), "--tensor-split", "1,0");
            assertThat(first[0]).as(first[2]).isEqualTo("0");
            assertThat(first[1]).as(engine + ": token for token the local answer").isEqualTo(local[1]);
            assertThat(first[2]).as(engine).contains("worker " + endpoints.get(0)).doesNotContain("worker " + endpoints.get(1));
        }
        String[] info = KvFlagsCliTest.run(new String[] {"info", "--model", model.toString(), "--rpc", workers.rpcList(), "--tensor-split", "1,0"});
        assertThat(info[0]).as(info[2]).isEqualTo("0");
        assertThat(info[1]).contains("by shares 1:0").contains("layers 0-5 and the output on RPC");

        String[] three = generate("canopy", "--gpu-layers", "-1", "--rpc", workers.rpcList(), "--tensor-split", "1,1,1");
        assertThat(three[0]).isEqualTo("2");
        assertThat(three[2]).contains("--tensor-split gives 3 shares for 2 devices (").contains("worker " + endpoints.get(0))
                .doesNotContain("Exception");
        String[] noRpc = generate("canopy", "--tensor-split", "1,1");
        assertThat(noRpc[0]).isEqualTo("2");
        assertThat(noRpc[2]).contains("--tensor-split").contains("needs --rpc");
    }

    @Test
    void theModelIsCanopysOwnAndDescribesItsSplit() {
        // (the spans' devices and the weights in the workers' memory: engine's OtherComputersTest)
        EngineOptions options = new EngineOptions(EngineKind.CANOPY, 256, 0, 2, 5).withWorkers(endpoints);
        try (InferenceModel m = Engines.load(model, options)) {
            assertThat(m.engine()).isEqualTo(EngineKind.CANOPY);
            assertThat(m.notice()).isEmpty();
            assertThat(m.runsOn()).matches("layers 0-1 on the CPU here; layers 2-4 on RPC\\d+ on worker " + endpoints.get(0)
                    + "; layer 5 and the output on RPC\\d+ on worker " + endpoints.get(1));
        }
        // llama.cpp's engine, asked for, still takes the workers itself
        try (InferenceModel m = Engines.load(model, options.withEngine(EngineKind.LLAMA))) {
            assertThat(m.engine()).isEqualTo(EngineKind.LLAMA);
            assertThat(m.runsOn()).endsWith(", placed by llama.cpp");
        }
    }

    @Test
    void sparseAttentionRunsOverTheWorkersAndAnswersAsOnThisCpu() {
        String prompt = "The lighthouse keeper wrote every evening. ".repeat(40);
        String[] base = {"generate", "--model", model.toString(), "--prompt", prompt, "--max-tokens", "8", "--temperature", "0",
                "--context", "1024", "--chunk", "32", "--threads", "2", "--attention", "dhsa", "--sink", "16", "--window", "16",
                "--budget", "128", "--decode-budget", "64"};
        String[] local = KvFlagsCliTest.run(concat(base, "--gpu-layers", "0"));
        assertThat(local[0]).as(local[2]).isEqualTo("0");
        assertThat(local[1].strip()).isNotEmpty();
        // layer 0, whose keys DHSA's boundary detector reads back, here; and on the first worker
        for (String layers : new String[] {"5", "-1"}) {
            String[] split = KvFlagsCliTest.run(concat(base, "--gpu-layers", layers, "--rpc", workers.rpcList()));
            assertThat(split[0]).as(split[2]).isEqualTo("0");
            assertThat(split[1]).as("--gpu-layers " + layers).isEqualTo(local[1]);
            assertThat(split[2]).doesNotContain("dense attention");
        }
    }

    private static String[] concat(String[] base, String... extra) {
        String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void theTieredKvStoreIsRefusedWithLayersOnOtherComputers() {
        String[] r = generate("canopy", "--gpu-layers", "5", "--rpc", workers.rpcList(), "--kv-ram-mb", "64");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("the tiered KV store").contains("does not run with layers on other computers")
                .contains("each remote layer's KV lives on its worker");
    }
}
