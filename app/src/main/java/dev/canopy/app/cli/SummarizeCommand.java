package dev.canopy.app.cli;

import dev.canopy.app.documents.Document;
import dev.canopy.app.documents.DocumentException;
import dev.canopy.app.documents.DocumentLoaders;
import dev.canopy.app.summarize.SummarizationPipeline;
import dev.canopy.app.summarize.SummarizeOptions;
import dev.canopy.app.summarize.SummaryListener;
import dev.canopy.app.summarize.SummaryPhase;
import dev.canopy.app.summarize.SummaryProgress;
import dev.canopy.app.summarize.SummaryResult;
import dev.canopy.app.summarize.SummaryStats;
import dev.canopy.app.summarize.SummaryStore;
import dev.canopy.app.summarize.SummaryStyle;
import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.InferenceModel;
import dev.canopy.natives.UserDirs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code canopy summarize FILE --model M}: a document's summary as Markdown, with progress on stderr. */
@Command(name = "summarize", mixinStandardHelpOptions = true,
        description = {"Summarizes a PDF, Word (.docx), HTML, Markdown or text file on this machine.",
                "Finished parts are saved in the database: after Ctrl-C or a crash, the same command resumes."})
public final class SummarizeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The document to summarize.")
    Path file;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "GGUF model file.")
    Path model;

    @Option(names = "--style", defaultValue = "brief", paramLabel = "brief|detailed|bullets|custom",
            description = "Shape of the summary. Default: ${DEFAULT-VALUE}.")
    String style;

    @Option(names = "--instruction", paramLabel = "TEXT", description = "Your own instruction for the final pass (implies --style custom).")
    String instruction;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the Markdown here instead of to stdout.")
    Path out;

    @Option(names = "--chunk-tokens", defaultValue = "0", paramLabel = "N", description = "Chunk size in tokens (0 = as large as the context allows).")
    int chunkTokens;

    @Option(names = "--batch", defaultValue = "4", paramLabel = "N", description = "Chunks summarized together as parallel sequences. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--part-tokens", defaultValue = "384", paramLabel = "N", description = "Most tokens of a chunk summary. Default: ${DEFAULT-VALUE}.")
    int partTokens;

    @Option(names = "--merge-tokens", defaultValue = "512", paramLabel = "N", description = "Most tokens of a merged summary. Default: ${DEFAULT-VALUE}.")
    int mergeTokens;

    @Option(names = "--final-tokens", defaultValue = "0", paramLabel = "N", description = "Most tokens of the final summary (0 = the style's default).")
    int finalTokens;

    @Option(names = "--db", paramLabel = "FILE", description = "The database that keeps documents and summaries (default: canopy.db in the data folder).")
    Path db;

    @Option(names = "--no-retry", description = "Do not run a summary that hit its token limit again with twice the room (it is marked cut short).")
    boolean noRetry;

    @Option(names = "--fresh", description = "Forget this document's stored summaries first and start over.")
    boolean fresh;

    @Option(names = "--quiet", description = "No progress on stderr.")
    boolean quiet;

    @Mixin EngineSelection engine;
    @Mixin SpeculationOptions speculative;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        SummarizeOptions options = options();
        speculative.enabled();                            // bad values fail before the document or a model loads
        Document doc;
        try {
            doc = DocumentLoaders.load(file);
        } catch (DocumentException e) {
            throw new CliException(e.getMessage(), e);
        }
        doc.warnings().forEach(w -> err.println("note: " + w));
        Path dbFile = db != null ? db : UserDirs.data().resolve("canopy.db");
        CancellationToken cancel = new CancellationToken();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancel.cancel();
            try { finished.await(60, TimeUnit.SECONDS); } catch (InterruptedException ignored) { Thread.currentThread().interrupt(); }
        });
        SummaryResult result;
        EngineOptions engineOptions = engine.toOptions();
        try (SummaryStore store = SummaryStore.open(dbFile); InferenceModel m = Engines.load(model, engineOptions);
             InferenceModel draft = speculative.loadDraft(engineOptions)) {
            m.notice().ifPresent(n -> err.println("note: " + n));
            options = options.withSpeculation(speculative.toSpeculation(m, draft));
            if (fresh) store.forget(doc.contentHash());
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                result = new SummarizationPipeline(m, store, options).run(doc, progress(err), cancel);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage(), e);
            } finally {
                finished.countDown();
            }
            try { Runtime.getRuntime().removeShutdownHook(hook); } catch (IllegalStateException shuttingDown) { /* Ctrl-C */ }
        }
        if (!result.completed()) {
            err.println("Cancelled. " + result.chunkSummaries().size() + " of " + result.stats().chunks()
                    + " part summaries are saved in " + dbFile + "; run the same command again to resume.");
            return 130;
        }
        result.notes().forEach(n -> err.println("note: " + n));
        printStats(err, doc, result.stats());
        if (out != null) {
            Files.writeString(out, result.markdown());
            err.println("Wrote " + out);
        } else {
            PrintWriter o = spec.commandLine().getOut();
            o.print(result.markdown());
            o.flush();
        }
        return 0;
    }

    private SummarizeOptions options() {
        SummaryStyle s;
        try {
            s = instruction != null && !instruction.isBlank() ? SummaryStyle.CUSTOM : SummaryStyle.parse(style);
            if (s == SummaryStyle.CUSTOM && (instruction == null || instruction.isBlank())) {
                throw new CliException("--style custom needs --instruction TEXT");
            }
            return SummarizeOptions.defaults().withStyle(s, instruction).withChunkTokens(chunkTokens).withBatchSize(batch)
                    .withSummaryTokens(partTokens, mergeTokens, finalTokens).withRetryCutShort(!noRetry);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    private SummaryListener progress(PrintWriter err) {
        if (quiet) return SummaryListener.NONE;
        return new SummaryListener() {
            private long last;
            private SummaryPhase lastPhase;

            @Override
            public void onProgress(SummaryProgress p) {
                long now = System.nanoTime();
                if (p.phase() == lastPhase && now - last < 1_000_000_000L && p.done() < p.total()) return;
                last = now;
                lastPhase = p.phase();
                err.println(p.describe());
                err.flush();
            }
        };
    }

    private static void printStats(PrintWriter err, Document doc, SummaryStats s) {
        err.printf("%d %s | %d chunks of up to %d tokens | %d merge levels | %d reused, %d generated | %.1f s%n",
                doc.places(), doc.locator().noun(), s.chunks(), s.chunkTokens(), s.levels(), s.reused(), s.sequences(), s.seconds());
        err.printf("%,d prompt + %,d generated tokens | %.1f tok/s overall | prefill %.1f tok/s | decode %.1f tok/s (all sequences)%n",
                s.promptTokens(), s.generatedTokens(), s.tokensPerSecond(), s.prefillTokensPerSecond(), s.decodeTokensPerSecond());
        if (s.speculation() != null) err.println("note: " + s.speculation());
        err.flush();
    }
}
