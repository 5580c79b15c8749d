package dev.canopy.engine.graph;

import dev.canopy.engine.sparse.SparseAttentionBuilder;
import dev.canopy.natives.ggml.GgmlContext;

import java.lang.foreign.MemorySegment;

/**
 * A built transformer forward graph for one {@link GraphShape}: its nodes, its inputs and its
 * logits. Owns the ggml context holding the node headers; the data lives in the KV cache, the
 * weights and the compute buffer of whoever allocates it.
 */
public final class ForwardGraph implements AutoCloseable {
    private final GraphShape shape;
    private final GgmlContext nodes;     // owned: tensor headers and the cgraph
    private final MemorySegment cgraph;  // borrowed from nodes
    private final GraphInputs inputs;
    private final MemorySegment logits;  // borrowed from nodes: F32 [vocab, outputs]
    private final SparseAttentionBuilder sparse; // the sparse attention of every layer, or null when dense

    ForwardGraph(GraphShape shape, GgmlContext nodes, MemorySegment cgraph, GraphInputs inputs, MemorySegment logits,
                 SparseAttentionBuilder sparse) {
        this.shape = shape;
        this.nodes = nodes;
        this.cgraph = cgraph;
        this.inputs = inputs;
        this.logits = logits;
        this.sparse = sparse;
    }

    /**
     * The I32 [budget] cells layer {@code il} selected in the last compute (a graph output), or
     * null when the graph's attention is dense.
     */
    public MemorySegment selection(int il) {
        return sparse == null ? null : sparse.selection(il);
    }

    public GraphShape shape() { return shape; }
    public MemorySegment cgraph() { return cgraph; }
    public GraphInputs inputs() { return inputs; }
    public MemorySegment logits() { return logits; }

    @Override
    public void close() {
        nodes.close();
    }
}
