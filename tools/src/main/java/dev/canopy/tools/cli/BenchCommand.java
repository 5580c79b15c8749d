package dev.canopy.tools.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.app.cli.AttentionOptions;
import dev.canopy.app.cli.CliException;
import dev.canopy.app.cli.KvTypeConverter;
import dev.canopy.app.cli.SpeculationOptions;
import dev.canopy.engine.EngineKind;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.Speculation;
import dev.canopy.tools.engine.bench.SpeculativeBench;
import dev.canopy.engine.KvPrecision;
import dev.canopy.engine.ModelInfo;
import dev.canopy.engine.ModelInspector;
import dev.canopy.tools.engine.bench.BenchConfig;
import dev.canopy.tools.engine.bench.BenchReport;
import dev.canopy.tools.engine.bench.EngineBench;
import dev.canopy.engine.model.UnsupportedModelException;
import dev.canopy.engine.runtime.WindowPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code canopy bench}: Canopy's own graph engine and libllama's llama_decode on the same model in
 * one run, same threads and chunk size, at each prompt length; prints both and their ratio for
 * prefill and decode.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Compares Canopy's engine with llama.cpp's llama_decode on one model: prefill and decode tokens/s and their ratio.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "GGUF model file (llama, qwen2 or qwen3).")
    Path model;

    @Option(names = "--prompt-tokens", split = ",", defaultValue = "512,4096", paramLabel = "N[,N...]",
            description = "Prompt lengths to prefill (random tokens). Default: ${DEFAULT-VALUE}.")
    List<Integer> promptTokens;

    @Option(names = "--gen-tokens", defaultValue = "64", paramLabel = "N", description = "Tokens decoded after each prompt. Default: ${DEFAULT-VALUE}.")
    int genTokens;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "CPU threads for both engines (0 = all).")
    int threads;

    @Option(names = "--chunk", defaultValue = "0", paramLabel = "N",
            description = "Prefill chunk size C for both engines (llama.cpp's batch size); 0 = 256, or 512 with GPU layers.")
    int chunk;

    @Option(names = "--context", defaultValue = "0", paramLabel = "N",
            description = "KV cells of both engines (0 = just enough for the longest prompt and the decode).")
    int context;

    @Option(names = "--repeats", defaultValue = "3", paramLabel = "N",
            description = "Interleaved runs per engine and length; the best is kept. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--gpu-layers", defaultValue = "0", paramLabel = "N",
            description = "Layers both engines put on the GPU (0 = CPU only, -1 = all; more than the model has also moves the output).")
    int gpuLayers;

    @Option(names = "--windows", defaultValue = "MULTIPLE_OF_256", paramLabel = "POLICY",
            description = "KV cells Canopy's attention reads: ${COMPLETION-CANDIDATES} (decision 0076). Default: ${DEFAULT-VALUE}.")
    WindowPolicy windows;

    @Option(names = "--json", description = "Print the report as one JSON object instead of a table.")
    boolean json;

    @Option(names = "--kv-type", defaultValue = "f16", paramLabel = "f16|q8_0|q4_0", converter = KvTypeConverter.class,
            completionCandidates = KvTypeConverter.Names.class, description = {KvTypeConverter.DESCRIPTION,
                    "Canopy then runs that KV next to its F16 run and prints their ratio."})
    KvPrecision kvType;

    @picocli.CommandLine.Mixin AttentionOptions attention;

    @picocli.CommandLine.Mixin SpeculationOptions speculative;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ModelInfo info = ModelInspector.inspect(model);
        if (!Engines.canopyArchitectures().contains(info.architecture())) {
            throw new CliException("bench compares Canopy's graph with llama.cpp; Canopy's graph does not build the "
                    + info.architecture() + " architecture (it builds " + String.join(", ", Engines.canopyArchitectures().stream().sorted().toList()) + ")");
        }
        int nThreads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        int c = chunk > 0 ? chunk : BenchConfig.defaultChunk(gpuLayers);
        if (speculative.enabled()) return benchSpeculative(out, nThreads, c);
        BenchConfig config = new BenchConfig(model, promptTokens.stream().mapToInt(Integer::intValue).toArray(), genTokens,
                nThreads, c, repeats, context, attention.toSettings(), gpuLayers, windows, kvType);
        // progress lines go to stderr with --json so stdout stays one JSON document
        PrintWriter log = json ? err : out;
        log.printf("bench %s: %d threads, chunk %d, context %d, prompts %s, %d decode tokens, best of %d%s%s%n",
                model.getFileName(), nThreads, c, config.effectiveContext(), promptTokens, genTokens, repeats,
                gpuLayers == 0 ? "" : ", GPU layers " + gpuLayers, kvType == KvPrecision.F16 ? "" : ", KV " + kvType + " vs f16");
        log.flush();
        BenchReport report;
        try {
            report = EngineBench.run(config, log);
        } catch (UnsupportedModelException e) {
            throw new CliException("Canopy's graph cannot run this model: " + e.getMessage());
        }
        if (json) out.println(toJson(report));
        else out.print(report.table());
        out.flush();
        return 0;
    }

    /** Canopy's decode with and without speculative decoding on quoting and passkey prompts, in one run. */
    private int benchSpeculative(PrintWriter out, int nThreads, int c) {
        EngineOptions options = new EngineOptions(EngineKind.CANOPY, context, c, nThreads, gpuLayers, attention.toSettings())
                .withKvPrecision(kvType);
        try (InferenceModel m = Engines.load(model, options); InferenceModel draft = speculative.loadDraft(options)) {
            Speculation speculation = speculative.toSpeculation(m, draft);
            out.printf("bench %s: %s (draft max %d) vs plain greedy decoding, %d threads, chunk %d, prompts of %s tokens, %d decode tokens, best of %d%n",
                    model.getFileName(), speculation.mode().cliName(), speculation.draftMax(), nThreads, c, promptTokens, genTokens, repeats);
            out.flush();
            List<SpeculativeBench.Row> rows = SpeculativeBench.run(m, speculation,
                    promptTokens.stream().mapToInt(Integer::intValue).toArray(), genTokens, repeats, out);
            out.print(SpeculativeBench.table(rows));
            out.flush();
            if (rows.stream().anyMatch(r -> !r.identical())) {
                out.println("note: an answer differs (same tokens: NO): the multi-row verification kernels round differently"
                        + " from one-token steps, which decides near-ties (decision 0120)");
            }
        }
        return 0;
    }

    static String toJson(BenchReport r) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("model", r.model()).put("threads", r.threads()).put("chunk", r.chunk()).put("context", r.context())
                .put("gen_tokens", r.genTokens());
        ArrayNode results = root.putArray("results");
        for (BenchReport.Comparison c : r.comparisons()) {
            ObjectNode o = results.addObject();
            o.put("prompt_tokens", c.promptTokens());
            o.put("canopy_prefill_tps", c.canopy().prefillPerSec()).put("llama_prefill_tps", c.llama().prefillPerSec())
                    .put("prefill_ratio", c.prefillRatio());
            o.put("canopy_decode_tps", c.canopy().decodePerSec()).put("llama_decode_tps", c.llama().decodePerSec())
                    .put("decode_ratio", c.decodeRatio());
            o.put("canopy_compute_bytes", c.canopy().computeBytes()).put("llama_compute_bytes", c.llama().computeBytes());
            if (c.sparse() != null) {
                o.put("attention", r.sparseMode());
                o.put("sparse_prefill_tps", c.sparse().prefillPerSec()).put("sparse_prefill_ratio", c.sparsePrefillRatio());
                o.put("sparse_decode_tps", c.sparse().decodePerSec()).put("sparse_decode_ratio", c.sparseDecodeRatio());
                o.put("sparse_compute_bytes", c.sparse().computeBytes());
            }
            if (r.threads() == 1) o.put("prefill_cpu_time_ratio", c.prefillCpuRatio()).put("decode_cpu_time_ratio", c.decodeCpuRatio());
        }
        return mapper.writeValueAsString(root);
    }
}
