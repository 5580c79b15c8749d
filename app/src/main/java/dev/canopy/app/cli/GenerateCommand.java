package dev.canopy.app.cli;

import dev.canopy.kv.KvKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.Speculation;
import dev.canopy.engine.StopReason;
import dev.canopy.engine.TieredKv;
import dev.canopy.engine.kv.KvOffload;
import dev.canopy.natives.llama.ChatMessage;
import dev.canopy.natives.llama.SamplerSettings;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code canopy generate}: one prompt streamed to stdout, or a JSONL batch decoded as parallel sequences. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generates text from a prompt, a prompt file, or a JSONL batch ({\"id\",\"prompt\"} per line).")
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "GGUF model file.")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--prompt", paramLabel = "TEXT") String prompt;
        @Option(names = "--prompt-file", paramLabel = "FILE") Path promptFile;
        @Option(names = "--batch", paramLabel = "IN.jsonl") Path batch;
    }

    @Option(names = "--max-tokens", defaultValue = "256", paramLabel = "N") int maxTokens;
    @Option(names = "--temperature", defaultValue = "0.7", paramLabel = "T", description = "0 = greedy. Default: ${DEFAULT-VALUE}.") float temperature;
    @Option(names = "--seed", defaultValue = "42", paramLabel = "S") long seed;
    @Option(names = "--repeat-penalty", defaultValue = "1.1", paramLabel = "R",
            description = "Sampling (--temperature above 0): penalty for repeating recent tokens, 1 = off (speculative sampling needs"
                    + " it off). Default: ${DEFAULT-VALUE}.") float repeatPenalty;
    @Option(names = "--chat", description = "Wrap the prompt as a user message in the model's chat template.") boolean chat;
    @Option(names = "--stats", description = "Print timings to stderr.") boolean stats;
    @Option(names = "--parallel", defaultValue = "8", paramLabel = "N", description = "Batch mode: sequences decoded together.") int parallel;
    @Option(names = "--kv-gpu-mb", defaultValue = "-1", paramLabel = "N",
            description = "KV tiers: GPU memory for the KV in MiB (used with GPU layers): pages, and the GPU layers'"
                    + " attention working set; below their KV size each of them attends to the pages whose key bounds rank highest.") long kvGpuMb;
    @Option(names = "--kv-ram-mb", defaultValue = "-1", paramLabel = "N",
            description = "KV tiers: RAM for the KV in MiB (pages and attention working set). Below the KV size each layer attends to"
                    + " the pages whose key bounds rank highest for its query, plus the first and the recent tokens. Default: unlimited.") long kvRamMb;
    @Option(names = "--kv-dir", paramLabel = "DIR",
            description = "KV tiers: folder for the KV page file; the conversation's KV is saved there and a later run with the same"
                    + " prompt prefix continues without prefilling it again.") Path kvDir;
    @Option(names = "--kv-conversation", defaultValue = "generate", paramLabel = "ID",
            description = "KV tiers: conversation id of the saved KV in --kv-dir. Default: ${DEFAULT-VALUE}.") String kvConversation;
    @Mixin EngineSelection engine;
    @Mixin SpeculationOptions speculative;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SamplerSettings sampling = temperature <= 0 ? SamplerSettings.greedy().withSeed(seed)
                : new SamplerSettings(temperature, 40, 0.95f, 0.05f, repeatPenalty, 64, seed, null);
        if (!(repeatPenalty > 0f)) throw new CliException("--repeat-penalty must be above 0, got " + repeatPenalty);
        if (maxTokens < 1) throw new CliException("--max-tokens must be at least 1, got " + maxTokens);
        String text = input.batch != null ? null : input.prompt != null ? input.prompt : Files.readString(input.promptFile);
        if (text != null && text.isBlank()) {   // a model given nothing would still "answer" from BOS alone
            throw new CliException(input.prompt != null ? "the prompt is empty" : "the prompt file " + input.promptFile + " is empty");
        }
        speculative.enabled();                            // bad values fail before a model loads
        EngineOptions options = engine.toOptions();
        try (InferenceModel m = Engines.load(model, options); InferenceModel draft = speculative.loadDraft(options);
             GenerationSession session = openSession(m, err)) {
            m.notice().ifPresent(n -> err.println("note: " + n));
            if (!options.workers().isEmpty()) err.println("layers: " + m.runsOn());
            Speculation speculation = speculative.toSpeculation(m, draft);
            if (input.batch != null) return runBatch(m, session, sampling, out);
            String prompt = chat ? m.formatChat(List.of(ChatMessage.user(text)), true) : text;
            CancellationToken cancel = new CancellationToken();
            Thread hook = new Thread(cancel::cancel);
            Runtime.getRuntime().addShutdownHook(hook);
            GenerationResult r = session.generate(new GenerationRequest(prompt, maxTokens, sampling, List.of(), cancel, speculation),
                    new GenerationListener() {
                        @Override public void onText(String delta) { out.print(delta); out.flush(); }
                    });
            Runtime.getRuntime().removeShutdownHook(hook);
            out.println();
            out.flush();
            if (r.stopReason() != StopReason.END_OF_TEXT) err.println("[stopped: " + describe(r.stopReason()) + "]");
            if (r.stats().speculationNote() != null) err.println("note: " + r.stats().speculationNote());
            if (stats) printStats(err, r, m);
            return 0;
        }
    }

    private int runBatch(InferenceModel m, GenerationSession session, SamplerSettings sampling, PrintWriter out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> ids = new ArrayList<>();
        List<GenerationRequest> requests = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(input.batch)) {
            lineNo++;
            if (line.isBlank()) continue;
            JsonNode node;
            try {
                node = json.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new CliException(input.batch + " line " + lineNo + " is not valid JSON: " + e.getOriginalMessage());
            }
            if (!node.hasNonNull("prompt")) throw new CliException(input.batch + " line " + lineNo + " has no \"prompt\"");
            ids.add(node.has("id") ? node.get("id").asText() : String.valueOf(lineNo));
            String p = node.get("prompt").asText();
            if (p.isBlank()) throw new CliException(input.batch + " line " + lineNo + " has an empty \"prompt\"");
            requests.add(new GenerationRequest(chat ? m.formatChat(List.of(ChatMessage.user(p)), true) : p,
                    maxTokens, sampling, List.of(), new CancellationToken()));
        }
        for (int from = 0; from < requests.size(); from += parallel) {
            int to = Math.min(requests.size(), from + parallel);
            List<GenerationResult> results = session.generateBatch(requests.subList(from, to));
            for (int i = 0; i < results.size(); i++) {
                GenerationResult r = results.get(i);
                ObjectNode o = json.createObjectNode();
                o.put("id", ids.get(from + i));
                o.put("text", r.text());
                o.put("prompt_tokens", r.stats().promptTokens());
                o.put("prefill_ms", Math.round(r.stats().prefillMillis() * 10) / 10.0);
                o.put("decode_ms", Math.round(r.stats().decodeMillis() * 10) / 10.0);
                o.put("stop", r.stopReason().name().toLowerCase(java.util.Locale.ROOT));
                out.println(json.writeValueAsString(o));
            }
            out.flush();
        }
        return 0;
    }

    /** A session with the KV in tiers when a --kv-* flag was given (Canopy's engine only), else the default one. */
    private GenerationSession openSession(InferenceModel m, PrintWriter err) {
        boolean tiers = kvGpuMb >= 0 || kvRamMb >= 0 || kvDir != null;
        if (!tiers) return m.openSession();
        Optional<TieredKv> tiered = m.tieredKv();
        if (tiered.isEmpty()) {
            err.println("note: --kv-gpu-mb/--kv-ram-mb/--kv-dir need Canopy's engine; this model runs on llama.cpp with its KV in RAM");
            return m.openSession();
        }
        if (kvRamMb == 0) throw new CliException("--kv-ram-mb must be positive (or omitted for unlimited)");
        try {
            return tiered.get().openSession(KvOffload.ofMegabytes(kvDir, KvKey.named(kvConversation), kvGpuMb, kvRamMb));
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    static String describe(StopReason r) {
        return switch (r) {
            case END_OF_TEXT -> "end of text";
            case MAX_TOKENS -> "reached --max-tokens; the answer may be incomplete";
            case STOP_STRING -> "stop string";
            case CANCELLED -> "cancelled; the text above is what was generated so far";
            case CONTEXT_FULL -> "the context window is full; the answer is incomplete";
        };
    }

    private static void printStats(PrintWriter err, GenerationResult r, InferenceModel m) {
        var s = r.stats();
        err.printf("engine %s | prompt %d tokens (%d computed) | prefill %.1f ms, %.1f tok/s | decode %d tokens, %.1f tok/s | first token %.1f ms%n",
                m.engine().name().toLowerCase(java.util.Locale.ROOT), s.promptTokens(), s.prefilledTokens(), s.prefillMillis(),
                s.prefillTokensPerSecond(), s.generatedTokens(), s.decodeTokensPerSecond(), s.timeToFirstTokenMillis());
        if (s.draftedTokens() > 0) {
            err.printf(java.util.Locale.ROOT, "speculative: %d of %d proposed tokens accepted (%.0f%%)%n",
                    s.acceptedTokens(), s.draftedTokens(), 100 * s.acceptanceRate());
        }
    }
}
