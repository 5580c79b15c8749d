package dev.canopy.engine.runtime;

import dev.canopy.engine.graph.ForwardGraph;
import dev.canopy.engine.graph.GraphShape;
import dev.canopy.engine.graph.KvSlots;
import dev.canopy.engine.graph.TransformerGraphBuilder;
import dev.canopy.engine.sparse.AttentionPath;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graphs of one (tokens, outputs) shape (e.g. the prefill chunk graph of size C) across KV
 * windows and attention paths, and their compute buffer. The buffer is reserved once for the largest
 * window, so peak compute memory is fixed by the chunk size and the cache size, never by the prompt
 * length. With sparse attention a step may also run the graph of its window that reads every key
 * (the prompt's last chunk, or a budget covering every visible key); both paths share the one
 * buffer, reserved for the larger.
 * Owns its graphs and allocator.
 */
final class GraphFamily implements AutoCloseable {
    private static final int KEEP_GRAPHS = 8;

    private final int tokens;
    private final int outputs;
    private final TransformerGraphBuilder builder;          // borrowed
    private final GraphRunner runner;                       // owned: the compute buffers
    private final Map<Key, ForwardGraph> byWindow = new LinkedHashMap<>(16, 0.75f, true); // owned graphs by (window, path, slots), LRU
    private ForwardGraph allocated;                         // the graph whose layout the buffer holds now
    private int builds;

    private record Key(int window, AttentionPath path, KvSlots slots) {}

    /** The buffer holds the largest window's graph of each of {@code paths}, the ones its steps may take. */
    GraphFamily(int tokens, int outputs, int maxWindow, List<AttentionPath> paths, TransformerGraphBuilder builder,
                GraphRunner runner) {
        this.tokens = tokens;
        this.outputs = outputs;
        this.builder = builder;
        this.runner = runner;
        for (AttentionPath path : paths) reserve(maxWindow, path);   // the buffer keeps the larger size
    }

    private void reserve(int window, AttentionPath path) {
        if (!runner.splitsGraphs()) {
            runner.reserve(graph(window, path, KvSlots.whole()).cgraph());
            return;
        }
        try (ForwardGraph measure = build(window, path, KvSlots.whole())) {   // split once, for its sizes only
            runner.reserve(measure.cgraph());
        }
    }

    /**
     * The graph for {@code window} of {@code slots} on attention {@code path}, allocated in
     * the compute buffer and ready for inputs. The same graph is reused step after step; across
     * GPU and CPU a graph is split once, so coming back to a window builds its graph again (ggml's
     * scheduler points a split graph's nodes at copies that live only until the next split).
     */
    ForwardGraph prepare(int window, AttentionPath path, KvSlots slots) {
        ForwardGraph g = graph(window, path, slots);
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

    private ForwardGraph build(int window, AttentionPath path, KvSlots slots) {
        builds++;
        return builder.build(new GraphShape(tokens, outputs, window, slots), path);
    }

    private ForwardGraph graph(int window, AttentionPath path, KvSlots slots) {
        Key key = new Key(window, path, slots);
        ForwardGraph g = byWindow.get(key);
        if (g == null) {
            g = build(window, path, slots);
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
