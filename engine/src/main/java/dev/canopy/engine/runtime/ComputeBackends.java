package dev.canopy.engine.runtime;

import dev.canopy.engine.kv.KvBufferTypes;
import dev.canopy.engine.weights.LayerDevice;
import dev.canopy.engine.weights.LayerSplit;
import dev.canopy.natives.ggml.BackendScheduler;
import dev.canopy.natives.ggml.GgmlBackend;
import dev.canopy.natives.ggml.GraphAllocator;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The backends one sequence computes on: the CPU always, and one backend per device of the model's
 * {@link LayerSplit} (this computer's GPU, workers' devices over ggml's RPC backend). With devices,
 * graphs run through ggml's backend scheduler over [devices..., CPU], which sends each node to the
 * backend holding its weights (or KV) and copies what crosses between them; without, through ggml's
 * graph allocator on the CPU alone. Owns its backends, unless it wraps a caller's CPU backend
 * ({@link #borrowCpu}); closes them in the reverse order of their start.
 */
public final class ComputeBackends implements AutoCloseable {
    private final GgmlBackend cpu;               // owned when opened here, borrowed when wrapped
    private final List<GgmlBackend> devices;     // owned: one per device of the split, in its order; empty on the CPU alone
    private final LayerSplit split;
    private final RemoteWorkers workers;         // the split's workers, checked after each step
    private final Ownership ownership;

    /** Whether the CPU backend is this object's to close. */
    private enum Ownership { OWNED, CPU_BORROWED }

    private ComputeBackends(GgmlBackend cpu, List<GgmlBackend> devices, LayerSplit split, Ownership ownership) {
        this.cpu = cpu;
        this.devices = List.copyOf(devices);
        this.split = split;
        this.workers = RemoteWorkers.of(split.workers());
        this.ownership = ownership;
    }

    /** Starts the CPU backend with {@code threads} threads, and a backend for each device {@code split} puts layers on. */
    public static ComputeBackends open(LayerSplit split, int threads) {
        GgmlBackend cpu = GgmlBackend.cpu(threads);
        List<GgmlBackend> started = new ArrayList<>();
        try {
            for (LayerDevice d : split.devices()) started.add(GgmlBackend.onDevice(d.device()));
            return new ComputeBackends(cpu, started, split, Ownership.OWNED);
        } catch (RuntimeException e) {
            closeAll(started, cpu);
            throw e;
        }
    }

    /** A CPU-only view of {@code cpu}, which the caller keeps owning. */
    public static ComputeBackends borrowCpu(GgmlBackend cpu, int layers) {
        return new ComputeBackends(cpu, List.of(), LayerSplit.cpuOnly(layers), Ownership.CPU_BORROWED);
    }

    /** Whether everything runs on the CPU (tensors then live in host memory, read and written in place). */
    public boolean cpuOnly() { return devices.isEmpty(); }

    /** Each layer's KV in its device's memory (a worker's for a remote layer), the CPU layers' in host memory. */
    public KvBufferTypes kvBufferTypes() {
        return layer -> split.deviceOf(layer).map(d -> devices.get(split.devices().indexOf(d)).bufferType()).orElseGet(cpu::bufferType);
    }

    /**
     * Runs {@code step} (which synchronizes its backends: allocates, computes, reads results) and then
     * throws {@link dev.canopy.natives.rpc.WorkerLostException} naming a worker of the split that was
     * lost: the step's results are not to be used. A step that failed because a worker was lost (its
     * compute, or memory the worker could no longer give) throws that exception instead of its own.
     */
    <T> T watched(Supplier<T> step) {
        T result;
        try {
            result = step.get();
        } catch (RuntimeException e) {
            workers.check();
            throw e;
        }
        workers.check();
        return result;
    }

    /** A runner for graphs of up to {@code graphSize} tensors, with compute buffers of its own. */
    GraphRunner newRunner(long graphSize) {
        if (devices.isEmpty()) return new OnCpu(cpu);
        List<GgmlBackend> order = new ArrayList<>(devices);
        order.add(cpu);
        return new Scheduled(BackendScheduler.create(order, graphSize));
    }

    @Override
    public void close() {
        if (ownership == Ownership.OWNED) closeAll(devices, cpu);
    }

    /** Closes {@code devices} last-started first, then the CPU. */
    private static void closeAll(List<GgmlBackend> devices, GgmlBackend cpu) {
        for (int i = devices.size() - 1; i >= 0; i--) devices.get(i).close();
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

    /** Devices and the CPU: ggml's backend scheduler. */
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
