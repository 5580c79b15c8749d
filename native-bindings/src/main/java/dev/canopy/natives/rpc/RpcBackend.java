package dev.canopy.natives.rpc;

import dev.canopy.natives.BackendDevice;
import dev.canopy.natives.NativeLibraryException;
import dev.canopy.natives.NativeLog;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.ffi.llama_h;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ggml's RPC backend (the {@code libggml-rpc} plug-in ggml loads with the other backends), bound by
 * hand: jextract does not run on this project's build machines, so instead of ggml-rpc.h in the
 * generated bindings this looks up the two entry points Canopy needs through the backend's own
 * {@code ggml_backend_reg_get_proc_address}, as llama.cpp's tools do:
 * <ul>
 *   <li>{@code ggml_backend_rpc_start_server(endpoint, cache_dir, n_threads, n_devices, devices)}: serve
 *       this computer's devices (blocks for as long as the server runs);</li>
 *   <li>{@code ggml_backend_rpc_add_server(endpoint)}: a backend registry whose devices are a worker's;</li>
 *   <li>{@code ggml_backend_rpc_lost_workers(buf, size)}: the workers whose connection was lost. Canopy's
 *       patch on ggml-rpc adds it (native-bindings/patches, decision 0185): there a lost worker fails the
 *       step instead of aborting the process. A plug-in without it reports none.</li>
 *   <li>{@code ggml_backend_rpc_set_answer_timeout(seconds)}: how long to wait for a worker's answer before
 *       it counts as lost (Canopy's patch; {@link #answerTimeout}).</li>
 * </ul>
 * A worker's free memory comes from {@link RpcProbe} (plain Java), which also checks every worker before
 * ggml's client meets it: that client aborts the process on a worker that is down.
 *
 * <p>The process-wide RPC registry and the devices it returns live as long as the process (ggml keeps
 * them in static maps); nothing here owns native memory beyond a call.
 */
public final class RpcBackend {
    /** How long a worker has to answer the handshake. */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long a worker has to answer (or to take what is sent to it) before it counts as lost, by
     * default: a worker whose process is stopped or stuck while its computer stays up still answers TCP
     * keep-alive, so only a timeout notices it. Generous, so that a slow worker's long prefill step is
     * not cut short (a 256-token chunk of a 70B model's layers on a laptop CPU takes well under a minute).
     */
    public static final Duration DEFAULT_ANSWER_TIMEOUT = Duration.ofMinutes(5);
    private static volatile Duration answerTimeout = DEFAULT_ANSWER_TIMEOUT;

    private static final Linker LINKER = Linker.nativeLinker();
    private final MethodHandle startServer; // void (const char*, const char*, size_t, size_t, ggml_backend_dev_t*)
    private final MethodHandle addServer;   // ggml_backend_reg_t (const char*)
    private final Optional<MethodHandle> lostWorkers; // size_t (char*, size_t); Canopy's patch
    private final Optional<MethodHandle> setAnswerTimeout; // void (int); Canopy's patch

    private RpcBackend(MemorySegment startServer, MemorySegment addServer, MemorySegment lostWorkers, MemorySegment setAnswerTimeout) {
        this.startServer = LINKER.downcallHandle(startServer, FunctionDescriptor.ofVoid(
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        this.addServer = LINKER.downcallHandle(addServer, FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        this.lostWorkers = lostWorkers.equals(MemorySegment.NULL) ? Optional.empty() : Optional.of(LINKER.downcallHandle(lostWorkers,
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG)));
        this.setAnswerTimeout = setAnswerTimeout.equals(MemorySegment.NULL) ? Optional.empty()
                : Optional.of(LINKER.downcallHandle(setAnswerTimeout, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT)));
    }

    /** The RPC backend, when ggml loaded its plug-in from the natives folder. */
    public static Optional<RpcBackend> find() {
        NativeRuntime.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment reg = llama_h.ggml_backend_reg_by_name(arena.allocateFrom("RPC"));
            if (reg.equals(MemorySegment.NULL)) return Optional.empty();
            MemorySegment start = llama_h.ggml_backend_reg_get_proc_address(reg, arena.allocateFrom("ggml_backend_rpc_start_server"));
            MemorySegment add = llama_h.ggml_backend_reg_get_proc_address(reg, arena.allocateFrom("ggml_backend_rpc_add_server"));
            if (start.equals(MemorySegment.NULL) || add.equals(MemorySegment.NULL)) return Optional.empty();
            MemorySegment lost = llama_h.ggml_backend_reg_get_proc_address(reg, arena.allocateFrom("ggml_backend_rpc_lost_workers"));
            MemorySegment timeout = llama_h.ggml_backend_reg_get_proc_address(reg, arena.allocateFrom("ggml_backend_rpc_set_answer_timeout"));
            RpcBackend rpc = new RpcBackend(start, add, lost, timeout);
            rpc.applyAnswerTimeout();
            return Optional.of(rpc);
        }
    }

    /** {@link #find()}, or an exception that says what is missing and where it was looked for. */
    public static RpcBackend require() {
        return find().orElseThrow(() -> new NativeLibraryException("this build has no RPC backend (libggml-rpc) in "
                + NativeRuntime.get().libraries().directory()
                + ": it is compiled by the build where g++ is installed (native-bindings/scripts/build-rpc-backend.sh)"));
    }

    /**
     * Serves {@code served} (one of {@link NativeRuntime#devices()}) on {@code endpoint} until the process
     * ends. Returns only when the server could not start (the port is taken, the address is not this
     * computer's); ggml writes its own lines to standard output.
     */
    public void serve(RpcEndpoint endpoint, Optional<Path> cacheDir, int threads, BackendDevice served) {
        MemorySegment device = device(served);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment devices = arena.allocate(ValueLayout.ADDRESS, 1);
            devices.setAtIndex(ValueLayout.ADDRESS, 0, device);
            MemorySegment cache = cacheDir.map(d -> arena.allocateFrom(d.toAbsolutePath().toString())).orElse(MemorySegment.NULL);
            startServer.invokeExact(arena.allocateFrom(endpoint.toString()), cache, (long) threads, 1L, devices);
        } catch (Throwable t) {
            throw new IllegalStateException("the RPC server failed: " + t.getMessage(), t);
        }
    }

    /**
     * Sets how long this process waits for a worker's answer before the worker counts as lost (see
     * {@link #DEFAULT_ANSWER_TIMEOUT}), for the connections made from now on. A plug-in without Canopy's
     * patch waits forever.
     */
    public static void answerTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("an answer timeout must be positive, not " + timeout);
        answerTimeout = timeout;
        find().ifPresent(RpcBackend::applyAnswerTimeout);
    }

    /** Whether this plug-in gives up on a worker that stops answering (Canopy's patch is in). */
    public boolean noticesStuckWorkers() { return setAnswerTimeout.isPresent(); }

    private void applyAnswerTimeout() {
        if (setAnswerTimeout.isEmpty()) return;
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, answerTimeout.toSeconds()));
        try {
            setAnswerTimeout.get().invokeExact(seconds);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("ggml_backend_rpc_set_answer_timeout failed: " + t.getMessage(), t);
        }
    }

    /** Whether this plug-in reports lost workers instead of ending the process (Canopy's patch is in). */
    public boolean survivesLostWorkers() { return lostWorkers.isPresent(); }

    /**
     * The workers whose latest connection from this process was lost (a new connection to one clears
     * it). After a step on a lost worker has been synchronized, that worker is listed: its results were
     * zeros and must be discarded.
     */
    public List<RpcEndpoint> lostWorkers() {
        if (lostWorkers.isEmpty()) return List.of();
        try {
            long n = (long) lostWorkers.get().invokeExact(MemorySegment.NULL, 0L);
            if (n == 0) return List.of();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(64 * 1024);
                long written = (long) lostWorkers.get().invokeExact(buf, buf.byteSize());
                if (written == 0) return List.of();
                String all = buf.getString(0);
                return all.isEmpty() ? List.of() : RpcEndpoint.parseList(all);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("ggml_backend_rpc_lost_workers failed: " + t.getMessage(), t);
        }
    }

    /** The {@code ggml_backend_dev_t} of one of {@link NativeRuntime#devices()} (borrowed: ggml's registry keeps it). */
    public static MemorySegment device(BackendDevice d) {
        return llama_h.ggml_backend_dev_get(d.index());
    }

    /**
     * Connects to {@code worker} and returns its devices ({@code ggml_backend_dev_t}, borrowed, valid for
     * the process's life). Checks it with {@link RpcProbe} first; throws {@link RpcWorkerException} naming
     * it when it is down, refuses, or speaks another protocol version.
     */
    public RemoteWorker connect(RpcEndpoint worker) {
        WorkerStatus status = RpcProbe.probe(worker, HANDSHAKE_TIMEOUT);
        MemorySegment reg;
        NativeLog.drain();
        try (Arena arena = Arena.ofConfined()) {
            reg = (MemorySegment) addServer.invokeExact(arena.allocateFrom(worker.toString()));
        } catch (Throwable t) {
            throw new RpcWorkerException(worker, "worker " + worker + ": " + t.getMessage());
        }
        if (reg.equals(MemorySegment.NULL)) {
            throw new RpcWorkerException(worker, "worker " + worker + " offered no device" + NativeLog.drainAsSuffix());
        }
        List<MemorySegment> devices = new ArrayList<>();
        long n = llama_h.ggml_backend_reg_dev_count(reg);
        for (long i = 0; i < n; i++) devices.add(llama_h.ggml_backend_reg_dev_get(reg, i));
        return new RemoteWorker(status, List.copyOf(devices));
    }

    /**
     * A worker this process is connected to.
     *
     * @param status  its handshake (protocol, each device's memory)
     * @param devices its devices as ggml backend devices, in the worker's order (borrowed: ggml keeps them)
     */
    public record RemoteWorker(WorkerStatus status, List<MemorySegment> devices) {
        public RpcEndpoint endpoint() { return status.worker(); }

        /** ggml's names for its devices, e.g. {@code RPC0}. */
        public List<String> deviceNames() {
            return devices.stream().map(d -> NativeRuntime.cString(llama_h.ggml_backend_dev_name(d))).toList();
        }
    }
}
