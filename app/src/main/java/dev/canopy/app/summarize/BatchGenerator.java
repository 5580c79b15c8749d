package dev.canopy.app.summarize;

import dev.canopy.engine.CancellationToken;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.Speculation;
import dev.canopy.engine.StopReason;
import dev.canopy.natives.llama.SamplerSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Generates prompts as parallel sequences, {@code batchSize} per batch. A summary that reaches its token
 * limit is run again with twice the room when that fits; if it is still not finished it is marked cut
 * short, never passed off as whole. Cancellation is checked before every batch and passed into the
 * engine, so a cancel stops within the batch in flight; that batch's partial results are dropped.
 * A batch of one runs as a single generation, with the speculation asked for (batches do not speculate).
 */
final class BatchGenerator {
    /** Greedy with a mild repetition penalty: deterministic (so a resumed run continues the same work) and less loopy. */
    static final SamplerSettings SAMPLING = new SamplerSettings(0f, 0, 1f, 0f, 1.1f, 64, 0, null);

    record Job(int index, String prompt, int maxTokens) {}

    record Done(int index, String text, SummaryStatus status, int generatedTokens) {}

    private final GenerationSession session;
    private final int batchSize;
    private final int contextLimit;
    private final boolean retry;
    private final CancellationToken cancel;
    private final Meter meter;
    private final Speculation speculation;

    BatchGenerator(GenerationSession session, int batchSize, int contextLimit, boolean retry, CancellationToken cancel, Meter meter,
                   Speculation speculation) {
        this.speculation = speculation;
        this.session = session;
        this.batchSize = batchSize;
        this.contextLimit = contextLimit;
        this.retry = retry;
        this.cancel = cancel;
        this.meter = meter;
    }

    /** Runs {@code jobs}, handing each batch's finished summaries to {@code sink}; false when cancelled. */
    boolean run(List<Job> jobs, Consumer<List<Done>> sink) {
        for (int from = 0; from < jobs.size(); from += batchSize) {
            if (cancel.isCancelled()) return false;
            List<Job> batch = jobs.subList(from, Math.min(jobs.size(), from + batchSize));
            List<GenerationResult> results = generate(batch, 1);
            List<Done> done = new ArrayList<>();
            List<Job> again = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                GenerationResult r = results.get(i);
                Job job = batch.get(i);
                if (r.stopReason() == StopReason.CANCELLED) continue;
                if (r.complete()) done.add(new Done(job.index(), r.text(), SummaryStatus.COMPLETE, r.tokens().length));
                else if (retry && fitsTwice(job, r)) again.add(job);
                else done.add(new Done(job.index(), r.text(), SummaryStatus.CUT_SHORT, r.tokens().length));
            }
            if (!again.isEmpty() && !cancel.isCancelled()) {
                List<GenerationResult> second = generate(again, 2);
                for (int i = 0; i < again.size(); i++) {
                    GenerationResult r = second.get(i);
                    if (r.stopReason() == StopReason.CANCELLED) continue;
                    SummaryStatus s = r.complete() ? SummaryStatus.COMPLETE : SummaryStatus.CUT_SHORT;
                    done.add(new Done(again.get(i).index(), r.text(), s, r.tokens().length));
                }
            }
            done.sort(java.util.Comparator.comparingInt(Done::index));
            sink.accept(done);
            if (cancel.isCancelled()) return false;
        }
        return true;
    }

    private boolean fitsTwice(Job job, GenerationResult r) {
        return r.stopReason() == StopReason.MAX_TOKENS && r.stats().promptTokens() + 2L * job.maxTokens() + 1 <= contextLimit;
    }

    private List<GenerationResult> generate(List<Job> jobs, int factor) {
        List<GenerationRequest> requests = jobs.stream()
                .map(j -> new GenerationRequest(j.prompt(), j.maxTokens() * factor, SAMPLING, List.of(), cancel)).toList();
        long t0 = System.nanoTime();
        if (requests.size() == 1 && speculation.enabled()) {
            GenerationResult r = session.generate(requests.getFirst().withSpeculation(speculation), GenerationListener.NONE);
            meter.addSingle(r, System.nanoTime() - t0);
            return List.of(r);
        }
        List<GenerationResult> results = session.generateBatch(requests);
        meter.addBatch(results, System.nanoTime() - t0);
        if (results.size() != jobs.size()) throw new IllegalStateException("the engine returned " + results.size() + " results for " + jobs.size() + " prompts");
        return results;
    }
}
