package dev.canopy.engine.kv;

import dev.canopy.engine.canopy.CanopyInferenceModel;
import dev.canopy.engine.canopy.SequenceEngine;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs in a new JVM: prefills a prompt and decodes greedy tokens with the KV in the tiered store
 * (RAM budget 10% of the KV, every page attended to), then closes, which saves the conversation.
 * Prints the decoded token ids. Args: model file, KV folder, conversation id, prompt tokens, seed, steps.
 */
public final class KvResumeChild {
    public static void main(String[] args) {
        Path modelFile = Path.of(args[0]);
        int[] prompt = dev.canopy.engine.testing.TinyModelFiles.promptTokens(Integer.parseInt(args[3]), Long.parseLong(args[4]));
        int steps = Integer.parseInt(args[5]);
        try (CanopyInferenceModel m = KvFixture.load(modelFile);
             SequenceEngine s = m.openSequence(KvFixture.settings(), KvFixture.denseOverTiers(m, Path.of(args[1]), args[2], 0.10))) {
            int[] tokens = new int[steps];
            KvFixture.greedy(s, prompt, steps, tokens);
            System.out.println("tokens " + Arrays.toString(tokens));
        }
    }
}
