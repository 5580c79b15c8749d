package dev.canopy.engine.runtime;

import dev.canopy.engine.kv.KvBufferTypes;
import dev.canopy.engine.weights.LayerPlacement;
import dev.canopy.natives.ggml.BackendScheduler;
import dev.canopy.natives.ggml.GgmlBackend;
import dev.canopy.natives.ggml.GraphAllocator;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The backends one sequence computes on: the CPU always, and the GPU of the model's
 * {@link LayerPlacement} when it puts layers there. With a GPU, graphs run through ggml's backend
 * scheduler, which sends each node to the backend holding its weights and copies what crosses
 * between them; without one, through ggml's graph allocator on the CPU alone. Owns its backends,
 * unless it wraps a caller's CPU backend ({@link #borrowCpu}).
 */
public final class ComputeBackends implements AutoCloseable {
    private final GgmlBackend cpu;    // owned when opened here, borrowed when wrapped
    private final GgmlBackend gpu;    // owned, or null when every layer is on the CPU
    private final LayerPlacement placement;
    private final boolean owned;

    private ComputeBackends(GgmlBackend cpu, GgmlBackend gpu, LayerPlacement placement, boolean owned) {
        this.cpu = cpu;
        this.gpu = gpu;
        this.placement = placement;
        this.owned = owned;
    }

    /** Starts the CPU backend with {@code threads} threads, and the GPU of {@code placement} when it has layers there. */
    public static ComputeBackends open(LayerPlacement placement, int threads) {
        GgmlBackend cpu = GgmlBackend.cpu(threads);
        if (!placement.anyOnGpu()) return new ComputeBackends(cpu, null, placement, true);
        try {
            return new ComputeBackends(cpu, GgmlBackend.device(placement.device()), placement, true);
        } catch (RuntimeException e) {
            cpu.close();
            throw e;
        }
    }

    /** A CPU-only view of {@code cpu}, which the caller keeps owning. */
    public static ComputeBackends borrowCpu(GgmlBackend cpu, int layers) {
        return new ComputeBackends(cpu, null, LayerPlacement.cpuOnly(layers), false);
    }

    /** Whether everything runs on the CPU (tensors then live in host memory, read and written in place). */
    public boolean cpuOnly() { return gpu == null; }

    /** Each layer's KV in device memory when the layer is on the GPU, else in host memory. */
    public KvBufferTypes kvBufferTypes() {
        return layer -> gpu != null && placement.onGpu(layer) ? gpu.bufferType() : cpu.bufferType();
    }

    /** A runner for graphs of up to {@code graphSize} tensors, with compute buffers of its own. */
    GraphRunner newRunner(long graphSize) {
        return gpu == null ? new OnCpu(cpu) : new Scheduled(BackendScheduler.create(List.of(gpu, cpu), graphSize));
    }

    @Override
    public void close() {
        if (!owned) return;
        if (gpu != null) gpu.close();
        cpu.close();
    }

    /** One backend: ggml's graph allocator and the backend's own compute. */
    private static final class OnCpu implements GraphRunner {
        private final GgmlBackend backend;      // borrowed
        private final GraphAllocator allocator; // owned

        OnCpu(GgmlBackend backend) {
            this.backend = backend;
            this.allocator = new GraphAllocator(backend.bufferType());
        }

        @Override public void reserve(MemorySegment graph) { allocator.reserve(graph); }
        @Override public void allocate(MemorySegment graph) { allocator.allocate(graph); }
        @Override public void compute(MemorySegment graph) { backend.compute(graph); }
        @Override public long bufferBytes() { return allocator.bufferSize(); }
        @Override public boolean splitsGraphs() { return false; }
        @Override public int splits() { return 1; }
        @Override public void close() { allocator.close(); }
    }

    /** A GPU and the CPU: ggml's backend scheduler. */
    private record Scheduled(BackendScheduler scheduler) implements GraphRunner {
        @Override public void reserve(MemorySegment graph) { scheduler.reserve(graph); }
        @Override public void allocate(MemorySegment graph) { scheduler.allocate(graph); }
        @Override public void compute(MemorySegment graph) { scheduler.compute(graph); }
        @Override public long bufferBytes() { return scheduler.bufferSize(); }
        @Override public boolean splitsGraphs() { return true; }
        @Override public int splits() { return scheduler.splits(); }
        @Override public void close() { scheduler.close(); }
    }
}
