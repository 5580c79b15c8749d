package dev.canopy.engine.graph.archfixture;

import java.lang.foreign.MemorySegment;

/** Written the way the engine's rules forbid (EngineCodeRulesTest shows each rule failing on it). */
public final class FlaggedBuilder {
    /** A mode as two flags (what TransformerGraphBuilder.build and ForwardPass.run took before AttentionPath). */
    public String build(String shape, boolean dense, boolean exact) {
        return shape + dense + exact;
    }

    /** One flag, in graph code. */
    String run(boolean exact) {
        return String.valueOf(exact);
    }

    /** Q, K, V as an array. */
    MemorySegment[] qkv() {
        return new MemorySegment[0];
    }
}
