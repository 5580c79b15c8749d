package dev.canopy.engine.runtime;

import dev.canopy.engine.graph.ForwardGraph;
import dev.canopy.engine.graph.GraphShape;
import dev.canopy.engine.graph.TransformerGraphBuilder;
import dev.canopy.natives.ggml.GraphAllocator;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The graphs of one (tokens, outputs) shape (e.g. the prefill chunk graph of size C) across KV
 * windows, and their compute buffer. The buffer is reserved once for the largest window, so peak
 * compute memory is fixed by the chunk size and the cache size, never by the prompt length.
 * Owns its graphs and allocator.
 */
final class GraphFamily implements AutoCloseable {
    private static final int KEEP_GRAPHS = 8;

    private final int tokens;
    private final int outputs;
    private final boolean exact;                            // dense attention whatever the settings
    private final TransformerGraphBuilder builder;          // borrowed
    private final GraphAllocator allocator;                 // owned: the compute buffer
    private final Map<Integer, ForwardGraph> byWindow = new LinkedHashMap<>(16, 0.75f, true); // owned graphs, LRU
    private ForwardGraph allocated;                         // the graph whose layout the buffer holds now
    private int builds;

    GraphFamily(int tokens, int outputs, boolean exact, int maxWindow, TransformerGraphBuilder builder, GraphAllocator allocator) {
        this.tokens = tokens;
        this.outputs = outputs;
        this.exact = exact;
        this.builder = builder;
        this.allocator = allocator;
        ForwardGraph largest = graph(maxWindow);
        allocator.reserve(largest.cgraph());
    }

    /** The graph for {@code window}, allocated in the compute buffer and ready for inputs. */
    ForwardGraph prepare(int window) {
        ForwardGraph g = graph(window);
        if (g != allocated) {
            allocator.allocate(g.cgraph());
            allocated = g;
        }
        return g;
    }

    private ForwardGraph graph(int window) {
        ForwardGraph g = byWindow.get(window);
        if (g == null) {
            g = builder.build(new GraphShape(tokens, outputs, window), exact);
            builds++;
            byWindow.put(window, g);
            evict();
        }
        return g;
    }

    private void evict() {
        Iterator<Map.Entry<Integer, ForwardGraph>> it = byWindow.entrySet().iterator();
        while (byWindow.size() > KEEP_GRAPHS && it.hasNext()) {
            ForwardGraph old = it.next().getValue();
            if (old == allocated) continue;
            it.remove();
            old.close();
        }
    }

    /** Bytes of this family's compute buffer. */
    long computeBufferBytes() {
        return allocator.bufferSize();
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
        allocator.close();
    }
}
