package dev.canopy.app.summarize;

import dev.canopy.app.documents.Document;
import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.Tokenizer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** One summarization of one document: level 0, merge levels, then the final pass. Single use. */
final class SummaryRun {
    private final InferenceModel model;
    private final SummaryStore store;
    private final SummarizeOptions options;
    private final Document doc;
    private final SummaryListener listener;
    private final CancellationToken cancel;
    private final Tokenizer tok;
    private final Meter meter = new Meter();
    private final List<String> notes = new ArrayList<>();
    private SummaryPrompts prompts;
    private Budgets budgets;
    private String runId;
    private int chunksTotal;
    private int reused;
    private int levels;
    private int cutMerges;
    private TreeMap<Integer, Summary> level0 = new TreeMap<>();

    SummaryRun(InferenceModel model, SummaryStore store, SummarizeOptions options, Document doc,
               SummaryListener listener, CancellationToken cancel) {
        this.model = model;
        this.store = store;
        this.options = options;
        this.doc = doc;
        this.listener = listener;
        this.cancel = cancel;
        this.tok = model.tokenizer();
    }

    SummaryResult execute() {
        try (GenerationSession session = model.openSession()) {
            int context = session.contextTokens();
            if (model.info().contextLength() > 0) context = Math.min(context, model.info().contextLength());
            prompts = new SummaryPrompts(model, doc);
            budgets = Budgets.compute(prompts, tok, options, context);
            progress(SummaryPhase.CHUNKING, 0, 0, 0);
            List<Chunk> chunks = new Chunker(tok, budgets.chunkTokens()).split(doc);
            chunksTotal = chunks.size();
            RunKey key = new RunKey(doc.contentHash(), ModelIdentity.of(model.info()), budgets.chunkTokens(),
                    options.workFingerprint() + ";" + budgets.fingerprint());
            runId = key.id();
            store.saveDocument(doc);
            store.beginRun(key, model.info().name(), chunks.size());
            BatchGenerator gen = new BatchGenerator(session, options.batchSize(), context, options.retryCutShort(), cancel, meter,
                    options.speculation());

            if (!summarizeChunks(chunks, gen)) return cancelled();
            List<Summary> current = new ArrayList<>(level0.values());
            Levels merger = new Levels(prompts, tok, budgets, doc.locator());
            while (!merger.fitsFinal(current)) {
                levels++;
                current = mergeLevel(merger, current, levels, gen);
                if (current == null) return cancelled();
            }
            FinalPass.Outcome fin = new FinalPass(session, prompts, merger, budgets, options, meter, listener, cancel)
                    .run(current, store.result(runId, options.style(), options.instruction()));
            if (fin == null) return cancelled();
            if (fin.reused()) reused++;
            notes.addAll(fin.notes());
            SummaryResult result = result(SummaryResult.RunState.COMPLETED, fin.text());
            if (!fin.reused()) {
                store.saveResult(runId, doc.contentHash(), options.style(), options.instruction(), model.info().name(),
                        result.text(), result.markdown());
            }
            progress(SummaryPhase.DONE, levels, 1, 1);
            return result;
        }
    }

    private boolean summarizeChunks(List<Chunk> chunks, BatchGenerator gen) {
        store.summaries(runId, 0).forEach((i, s) -> { if (i < chunks.size()) level0.put(i, s); });
        reused += level0.size();
        List<BatchGenerator.Job> jobs = new ArrayList<>();
        for (Chunk c : chunks) {
            if (!level0.containsKey(c.index())) {
                jobs.add(new BatchGenerator.Job(c.index(), prompts.chunk(c, chunks.size(), budgets.partTokens()), budgets.partTokens()));
            }
        }
        progress(SummaryPhase.SUMMARIZING_CHUNKS, 0, level0.size(), chunks.size());
        return gen.run(jobs, done -> {
            List<Summary> batch = done.stream().map(d -> {
                Chunk c = chunks.get(d.index());
                String text = d.text().isBlank() ? "" : Citations.attribute(d.text().strip(), c.sources(), c.span(), doc.locator());
                return new Summary(0, d.index(), text, c.span(), d.status(), d.generatedTokens());
            }).toList();
            store.saveSummaries(runId, batch);
            batch.forEach(s -> level0.put(s.index(), s));
            progress(SummaryPhase.SUMMARIZING_CHUNKS, 0, level0.size(), chunks.size());
        });
    }

    /** Merges {@code inputs} into the next level; null when cancelled. */
    private List<Summary> mergeLevel(Levels merger, List<Summary> inputs, int level, BatchGenerator gen) {
        List<List<Integer>> groups = merger.groups(inputs);
        TreeMap<Integer, Summary> stored = store.summaries(runId, level);
        Summary[] next = new Summary[groups.size()];
        List<BatchGenerator.Job> jobs = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            List<Summary> members = groups.get(g).stream().map(inputs::get).toList();
            if (members.size() == 1) next[g] = merger.carry(members.getFirst(), level, g);
            else if (stored.containsKey(g)) {
                next[g] = stored.get(g);
                reused++;
                if (next[g].cutShort()) cutMerges++;
            }
            else jobs.add(new BatchGenerator.Job(g, prompts.merge(merger.rendered(members), merger.span(members),
                    budgets.mergeTokens()), budgets.mergeTokens()));
        }
        int[] finished = {groups.size() - jobs.size()};
        progress(SummaryPhase.MERGING, level, finished[0], groups.size());
        boolean ok = gen.run(jobs, done -> {
            List<Summary> batch = new ArrayList<>();
            for (BatchGenerator.Done d : done) {
                List<Summary> members = groups.get(d.index()).stream().map(inputs::get).toList();
                batch.add(merger.merged(d, members, level));
            }
            store.saveSummaries(runId, batch);
            batch.forEach(s -> next[s.index()] = s);
            cutMerges += (int) batch.stream().filter(Summary::cutShort).count();
            finished[0] += batch.size();
            progress(SummaryPhase.MERGING, level, finished[0], groups.size());
        });
        return ok ? List.of(next) : null;
    }

    private SummaryResult cancelled() {
        progress(SummaryPhase.CANCELLED, levels, 0, 0);
        return result(SummaryResult.RunState.CANCELLED, "");
    }

    private SummaryResult result(SummaryResult.RunState state, String text) {
        List<String> all = new ArrayList<>(doc.warnings());
        List<Summary> cut = level0.values().stream().filter(Summary::cutShort).toList();
        if (!cut.isEmpty()) {
            all.add(cut.size() + " of " + chunksTotal + " part summaries reached their length limit and may be incomplete: "
                    + String.join(", ", cut.stream().map(s -> s.span().cite(doc.locator())).toList()) + ".");
        }
        long empty = level0.values().stream().filter(s -> s.text().isBlank()).count();
        if (empty > 0) all.add(empty + " of " + chunksTotal + " part summaries came out empty: the model wrote no text for them.");
        if (cutMerges > 0) all.add(cutMerges + " merged summaries reached their length limit and may be incomplete.");
        all.addAll(notes);
        SummaryStats stats = new SummaryStats(chunksTotal, budgets == null ? 0 : budgets.chunkTokens(), levels, reused,
                meter.sequences, meter.promptTokens, meter.generatedTokens, meter.generationNanos, meter.prefillNanos, meter.decodeNanos,
                meter.elapsedNanos(), speculationNote().orElse(null));
        return new SummaryResult(state, runId, doc, options, model.info().name(), text, List.copyOf(level0.values()), all, stats);
    }

    /** How speculative decoding went, when it was asked for and something was generated. */
    private java.util.Optional<String> speculationNote() {
        if (!options.speculation().enabled() || meter.sequences == 0) return java.util.Optional.empty();
        String batches = options.batchSize() > 1
                ? " Parts and merges ran in batches of " + options.batchSize() + ", which do not speculate (--batch 1 lets them)." : "";
        if (meter.draftedTokens == 0) {
            return java.util.Optional.of("not speculative: " + (meter.speculationNote != null ? meter.speculationNote
                    : "no guessed tokens were proposed") + "." + batches);
        }
        return java.util.Optional.of("speculative: %d of %d guessed tokens accepted (%.0f%%).%s".formatted(meter.acceptedTokens,
                meter.draftedTokens, 100.0 * meter.acceptedTokens / meter.draftedTokens, batches));
    }

    private void progress(SummaryPhase phase, int level, int done, int total) {
        listener.onProgress(new SummaryProgress(phase, level, done, total, level0.size(), chunksTotal,
                meter.tokensPerSecond(), meter.generatedPerSecond(), Duration.ofNanos(meter.elapsedNanos())));
    }
}
