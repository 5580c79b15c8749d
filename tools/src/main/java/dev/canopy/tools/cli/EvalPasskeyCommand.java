package dev.canopy.tools.cli;

import dev.canopy.app.cli.CliException;
import dev.canopy.app.cli.KvTypeConverter;
import dev.canopy.engine.KvPrecision;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import dev.canopy.tools.engine.sparse.eval.PasskeyEval;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code canopy eval passkey}: what each attention mode costs in quality, on a passkey model
 * (../shared/models/passkey-llama-6l-384.gguf): per prompt length and fact count, exact-match
 * accuracy and agreement with dense attention, every mode run by the engine itself.
 */
@Command(name = "passkey", mixinStandardHelpOptions = true,
        description = {"Passkey retrieval accuracy of dense, dhsa, window and topk attention, and how often each agrees with dense.",
                "Prompts follow the passkey model's format (filler sentences, 1-4 facts, a question at the end)."})
final class EvalPasskeyCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A passkey-trained GGUF model.") Path model;
    @Option(names = "--lengths", defaultValue = "4096,8192,16384", paramLabel = "N,N,...") String lengths;
    @Option(names = "--facts", defaultValue = "1,3", paramLabel = "N,N,...") String facts;
    @Option(names = "--per-cell", defaultValue = "5", paramLabel = "N", description = "Prompts per (length, facts). Default: ${DEFAULT-VALUE}.") int perCell;
    @Option(names = "--modes", defaultValue = "dense,dhsa,window,topk", paramLabel = "M,M,...") String modes;
    @Option(names = "--budget", defaultValue = "" + SparseAttentionSettings.DEFAULT_BUDGET, paramLabel = "N") int budget;
    @Option(names = "--decode-budget", defaultValue = "" + SparseAttentionSettings.DEFAULT_DECODE_BUDGET, paramLabel = "N",
            description = "0 = decode reads every key. Default: ${DEFAULT-VALUE}.") int decodeBudget;
    @Option(names = "--threads", defaultValue = "2", paramLabel = "N") int threads;
    @Option(names = "--chunk", defaultValue = "256", paramLabel = "N",
            description = "Prefill chunk size, which is also DHSA's query block. Default: ${DEFAULT-VALUE}.") int chunk;
    @Option(names = "--sparse-last-chunk", description = {"Let the prompt's last chunk attend sparsely too (by default it reads every key:",
            "the question is there). With a decode budget, nothing reads every key: what the selection alone finds."}) boolean sparseLastChunk;
    @Option(names = "--prompts", paramLabel = "FILE.jsonl", description = {"Run these prompts (make_prompts.py's JSONL, e.g.",
            "../shared/datasets/passkey/sample.jsonl) instead of generated ones; --lengths, --facts and --per-cell are ignored."}) Path prompts;
    @Option(names = "--reference", description = "Also print llama.cpp's own dense answer per prompt.") boolean reference;
    @Option(names = "--noise-floor", description = {"Also run two more exact variants, dense over an F32 KV and llama.cpp's own decoder,",
            "and count how often they agree with dense: how often answers change from rounding alone."}) boolean noiseFloor;
    @Option(names = "--kv-types", paramLabel = "q8_0,q4_0", split = ",", converter = KvTypeConverter.class,
            description = {"Also run every mode over these quantized KV types (rows 'mode@type'): their 'same as dense' column",
                    "is the agreement with an F16 KV, their prefill seconds the speed."}) List<KvPrecision> kvTypes;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(model)) throw new CliException("no model file at " + model);
        List<String> args = new ArrayList<>(List.of("--model", model.toString(), "--lengths", lengths, "--facts", facts,
                "--per-cell", Integer.toString(perCell), "--modes", modes, "--budget", Integer.toString(budget),
                "--decode-budget", Integer.toString(decodeBudget), "--threads", Integer.toString(threads),
                "--chunk", Integer.toString(chunk), "--exact-last", Boolean.toString(!sparseLastChunk),
                "--reference", Boolean.toString(reference), "--noise-floor", Boolean.toString(noiseFloor),
                "--kv-types", kvTypes == null ? "" : String.join(",", kvTypes.stream().map(KvPrecision::cliName).toList())));
        if (prompts != null) {
            if (!Files.isRegularFile(prompts)) throw new CliException("no prompts file at " + prompts);
            args.addAll(List.of("--prompts", prompts.toString()));
        }
        try {
            PasskeyEval.main(args.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        return 0;
    }
}
