package dev.canopy.engine.runtime;

import dev.canopy.engine.graph.ForwardGraph;
import dev.canopy.engine.graph.GraphShape;
import dev.canopy.engine.graph.KvSlots;
import dev.canopy.engine.graph.TransformerGraphBuilder;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The graphs of one (tokens, outputs) shape (e.g. the prefill chunk graph of size C) across KV
 * windows, and their compute buffer. The buffer is reserved once for the largest window, so peak
 * compute memory is fixed by the chunk size and the cache size, never by the prompt length. With
 * sparse attention a step may also run the dense graph of its window (the prompt's last chunk, or a
 * budget covering every visible key); both kinds share the one buffer, reserved for the larger.
 * Owns its graphs and allocator.
 */
final class GraphFamily implements AutoCloseable {
    private static final int KEEP_GRAPHS = 8;

    private final int tokens;
    private final int outputs;
    private final TransformerGraphBuilder builder;          // borrowed
    private final GraphRunner runner;                       // owned: the compute buffers
    private final Map<Key, ForwardGraph> byWindow = new LinkedHashMap<>(16, 0.75f, true); // owned graphs by (window, dense, slots), LRU
    private ForwardGraph allocated;                         // the graph whose layout the buffer holds now
    private int builds;

    private record Key(int window, boolean dense, KvSlots slots) {}

    /** With {@code sparse}, the buffer also holds the dense graphs sparse steps may fall back to. */
    GraphFamily(int tokens, int outputs, int maxWindow, boolean sparse, TransformerGraphBuilder builder, GraphRunner runner) {
        this.tokens = tokens;
        this.outputs = outputs;
        this.builder = builder;
        this.runner = runner;
        reserve(maxWindow, false);
        if (sparse) reserve(maxWindow, true);   // the buffer keeps the larger size
    }

    private void reserve(int window, boolean dense) {
        if (!runner.splitsGraphs()) {
            runner.reserve(graph(window, dense, KvSlots.whole()).cgraph());
            return;
        }
        try (ForwardGraph measure = build(window, dense, KvSlots.whole())) {   // split once, for its sizes only
            runner.reserve(measure.cgraph());
        }
    }

    /**
     * The graph for {@code window} of {@code slots} (dense whatever the settings when {@code dense}), allocated in
     * the compute buffer and ready for inputs. The same graph is reused step after step; across
     * GPU and CPU a graph is split once, so coming back to a window builds its graph again (ggml's
     * scheduler points a split graph's nodes at copies that live only until the next split).
     */
    ForwardGraph prepare(int window, boolean dense, KvSlots slots) {
        ForwardGraph g = graph(window, dense, slots);
        if (g != allocated) {
            if (runner.splitsGraphs() && allocated != null) forget(allocated);
            runner.allocate(g.cgraph());
            allocated = g;
        }
        return g;
    }

    private void forget(ForwardGraph old) {
        byWindow.values().remove(old);
        old.close();
    }

    private ForwardGraph build(int window, boolean dense, KvSlots slots) {
        builds++;
        return builder.build(new GraphShape(tokens, outputs, window, slots), dense);
    }

    private ForwardGraph graph(int window, boolean dense, KvSlots slots) {
        Key key = new Key(window, dense, slots);
        ForwardGraph g = byWindow.get(key);
        if (g == null) {
            g = build(window, dense, slots);
            byWindow.put(key, g);
            evict();
        }
        return g;
    }

    private void evict() {
        Iterator<Map.Entry<Key, ForwardGraph>> it = byWindow.entrySet().iterator();
        while (byWindow.size() > KEEP_GRAPHS && it.hasNext()) {
            ForwardGraph old = it.next().getValue();
            if (old == allocated) continue;
            it.remove();
            old.close();
        }
    }

    /** Computes {@code g}, the graph last {@link #prepare prepared}. */
    void compute(ForwardGraph g) {
        if (g != allocated) throw new IllegalStateException("compute of a graph that is not the one prepared");
        runner.compute(g.cgraph());
    }

    /** Parts the graph last prepared runs in (1 on the CPU alone). */
    int splits() {
        return runner.splits();
    }

    /** Bytes of this family's compute buffers. */
    long computeBufferBytes() {
        return runner.bufferBytes();
    }

    /** How many graphs were built so far (for tests of graph reuse). */
    int graphsBuilt() {
        return builds;
    }

    @Override
    public void close() {
        byWindow.values().forEach(ForwardGraph::close);
        byWindow.clear();
        allocated = null;
        runner.close();
    }
}
