package dev.canopy.app.cli;

import dev.canopy.engine.EngineOptions;
import dev.canopy.engine.Engines;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.Speculation;
import dev.canopy.engine.speculative.DraftVocabulary;
import dev.canopy.engine.SpeculationMode;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --speculative}, {@code --draft-max} and {@code --draft-model} (a picocli mixin): speculative decoding, decision 0120. */
public final class SpeculationOptions {
    @Option(names = "--speculative", paramLabel = "off|lookup|draft", defaultValue = "off",
            description = "Speculative decoding: lookup proposes what followed the latest words of the"
                    + " answer where they occur in the prompt, draft lets --draft-model propose; the model verifies several"
                    + " tokens in one step. Greedy: the same answer; sampling (no repeat penalty): the same distribution,"
                    + " reproducible with --seed. Faster where the proposals are right. Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--draft-model", paramLabel = "FILE",
            description = "Speculative decoding: a smaller GGUF model with the same vocabulary that proposes the tokens (with --speculative draft).")
    Path draftModel;

    @Option(names = "--draft-max", paramLabel = "N", defaultValue = "" + Speculation.DEFAULT_DRAFT_MAX,
            description = "Speculative decoding: most tokens proposed per step (the length adapts below it). Default: ${DEFAULT-VALUE}.")
    int draftMax;

    /** Whether speculation was asked for; bad values are a clear error here, before any model loads. */
    public boolean enabled() {
        try {
            SpeculationMode m = SpeculationMode.parse(mode);
            new Speculation(SpeculationMode.LOOKUP, draftMax);    // checks the range
            if (m == SpeculationMode.DRAFT && draftModel == null) throw new CliException("--speculative draft needs --draft-model FILE");
            if (m != SpeculationMode.DRAFT && draftModel != null) throw new CliException("--draft-model needs --speculative draft");
            return m != SpeculationMode.OFF;
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** The draft model of --draft-model, loaded with the model's engine options (GPU layers included), or null. */
    public InferenceModel loadDraft(EngineOptions options) {
        if (draftModel == null) return null;
        if (!Files.isRegularFile(draftModel)) throw new CliException("--draft-model " + draftModel + " is not a file");
        return Engines.load(draftModel, options);
    }

    /** The speculation of these options for {@code target}, with {@code draft} (null without --draft-model). */
    public Speculation toSpeculation(InferenceModel target, InferenceModel draft) {
        try {
            SpeculationMode m = SpeculationMode.parse(mode);
            if (m != SpeculationMode.DRAFT) return new Speculation(m, draftMax);
            DraftVocabulary.mismatch(target.tokenizer(), draft.tokenizer()).ifPresent(why -> { throw new CliException(why); });
            return Speculation.draft(draft, draftMax);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }
}
