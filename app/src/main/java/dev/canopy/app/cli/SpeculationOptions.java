package dev.canopy.app.cli;

import dev.canopy.engine.Speculation;
import dev.canopy.engine.SpeculationMode;
import picocli.CommandLine.Option;

/** {@code --speculative} and {@code --draft-max} (a picocli mixin): speculative decoding, decision 0120. */
final class SpeculationOptions {
    @Option(names = "--speculative", paramLabel = "off|lookup", defaultValue = "off",
            description = "Speculative decoding for greedy answers: lookup proposes what followed the latest words of the"
                    + " answer where they occur in the prompt, and the model verifies several tokens in one step. Same"
                    + " answer, faster where it quotes its input. Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--draft-max", paramLabel = "N", defaultValue = "" + Speculation.DEFAULT_DRAFT_MAX,
            description = "Speculative decoding: most tokens proposed per step (the length adapts below it). Default: ${DEFAULT-VALUE}.")
    int draftMax;

    Speculation toSpeculation() {
        try {
            return new Speculation(SpeculationMode.parse(mode), draftMax);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }
}
