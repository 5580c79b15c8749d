package dev.canopy.app.cli;

import dev.canopy.engine.sparse.AttentionMode;
import dev.canopy.engine.sparse.BoundaryParams;
import dev.canopy.engine.sparse.SparseAttentionSettings;
import picocli.CommandLine.Option;

/** "Long-context acceleration" options shared by commands that run a model (a picocli mixin; public for the tools' commands). */
public final class AttentionOptions {
    @Option(names = "--attention", paramLabel = "MODE", defaultValue = "dense",
            description = "dense (exact, default), dhsa (dynamic hierarchical sparse attention), window (sink + recent keys) "
                    + "or topk (Quest-style key blocks). Sparse modes need the canopy engine.")
    String mode;

    @Option(names = "--budget", paramLabel = "N", defaultValue = "" + SparseAttentionSettings.DEFAULT_BUDGET,
            description = "Sparse modes: keys read per prefill chunk. Default: ${DEFAULT-VALUE}.")
    int budget;

    @Option(names = "--decode-budget", paramLabel = "N", defaultValue = "" + SparseAttentionSettings.DEFAULT_DECODE_BUDGET,
            description = {"Sparse modes: keys read per generated token; 0 = all of them (dense decode). Default: ${DEFAULT-VALUE}.",
                    "Dense decode is also the fastest today: choosing a token's keys reads every key (16K tokens, CPU: dhsa 0.65x, topk 0.2x of dense)."})
    int decodeBudget;

    @Option(names = "--sink", paramLabel = "N", defaultValue = "" + SparseAttentionSettings.DEFAULT_SINK,
            description = "Sparse modes: first tokens always kept. Default: ${DEFAULT-VALUE}.")
    int sink;

    @Option(names = "--window", paramLabel = "N", defaultValue = "" + SparseAttentionSettings.DEFAULT_WINDOW,
            description = "Sparse modes: most recent tokens always kept. Default: ${DEFAULT-VALUE}.")
    int window;

    /** The settings asked for, checked (a budget must hold the sink, the window and a chunk). */
    public SparseAttentionSettings toSettings() {
        try {
            return new SparseAttentionSettings(AttentionMode.parse(mode), budget, decodeBudget, sink, window,
                    SparseAttentionSettings.DEFAULT_TOPK_BLOCK, BoundaryParams.defaults());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }
}
