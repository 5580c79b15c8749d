package dev.canopy.app.summarize;

import dev.canopy.engine.EngineKind;
import dev.canopy.engine.GenerationListener;
import dev.canopy.engine.GenerationRequest;
import dev.canopy.engine.GenerationResult;
import dev.canopy.engine.GenerationSession;
import dev.canopy.engine.InferenceModel;
import dev.canopy.engine.ModelInfo;
import dev.canopy.engine.Tokenizer;
import dev.canopy.natives.llama.ChatMessage;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A real model behind a wrapper that counts the sequences it is asked to generate. */
final class CountingModel implements InferenceModel {
    private final InferenceModel real;
    final AtomicInteger sequences = new AtomicInteger();

    CountingModel(InferenceModel real) {
        this.real = real;
    }

    @Override public ModelInfo info() { return real.info(); }
    @Override public EngineKind engine() { return real.engine(); }
    @Override public Optional<String> notice() { return real.notice(); }
    @Override public Tokenizer tokenizer() { return real.tokenizer(); }
    @Override public String formatChat(List<ChatMessage> m, boolean a) { return real.formatChat(m, a); }
    @Override public int contextTokens() { return real.contextTokens(); }
    @Override public void close() { /* the test owns the real model */ }

    @Override
    public GenerationSession openSession() {
        GenerationSession s = real.openSession();
        return new GenerationSession() {
            @Override public GenerationResult generate(GenerationRequest r, GenerationListener l) {
                sequences.incrementAndGet();
                return s.generate(r, l);
            }
            @Override public List<GenerationResult> generateBatch(List<GenerationRequest> rs) {
                sequences.addAndGet(rs.size());
                return s.generateBatch(rs);
            }
            @Override public int contextTokens() { return s.contextTokens(); }
            @Override public int usedTokens() { return s.usedTokens(); }
            @Override public void reset() { s.reset(); }
            @Override public void close() { s.close(); }
        };
    }
}
