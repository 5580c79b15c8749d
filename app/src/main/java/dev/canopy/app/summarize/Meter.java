package dev.canopy.app.summarize;

import dev.canopy.engine.GenerationResult;

import java.util.List;

/** Counts the tokens and engine time of a run, for progress and stats. Used on one thread. */
final class Meter {
    private final long start = System.nanoTime();
    int sequences;
    long promptTokens;
    long generatedTokens;
    long generationNanos;
    long prefillNanos;
    long decodeNanos;
    long draftedTokens;
    long acceptedTokens;
    String speculationNote;   // the engine's first reason not to speculate, or null

    /** One generateBatch call: its sequences share one prefill and one decode loop, so their times are counted once. */
    void addBatch(List<GenerationResult> results, long wallNanos) {
        generationNanos += wallNanos;
        long prefill = 0, decode = 0;
        for (GenerationResult r : results) {
            count(r);
            prefill = Math.max(prefill, r.stats().prefillNanos());
            decode = Math.max(decode, r.stats().decodeNanos());
        }
        prefillNanos += prefill;
        decodeNanos += decode;
    }

    void addSingle(GenerationResult r, long wallNanos) {
        generationNanos += wallNanos;
        count(r);
        prefillNanos += r.stats().prefillNanos();
        decodeNanos += r.stats().decodeNanos();
    }

    private void count(GenerationResult r) {
        sequences++;
        draftedTokens += r.stats().draftedTokens();
        acceptedTokens += r.stats().acceptedTokens();
        if (speculationNote == null) speculationNote = r.stats().speculationNote();
        promptTokens += r.stats().prefilledTokens();
        generatedTokens += r.tokens().length;
    }

    double tokensPerSecond() {
        return generationNanos == 0 ? 0 : (promptTokens + generatedTokens) * 1e9 / generationNanos;
    }

    double generatedPerSecond() {
        return generationNanos == 0 ? 0 : generatedTokens * 1e9 / generationNanos;
    }

    long elapsedNanos() {
        return System.nanoTime() - start;
    }
}
