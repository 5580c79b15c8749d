package dev.canopy.natives;

import dev.canopy.natives.ffi.ggml_log_callback;
import dev.canopy.natives.ffi.llama_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Receives llama.cpp / ggml log lines. They are kept (warnings and errors only) so that a failure
 * can quote what llama.cpp said, and are printed to stderr only when {@code CANOPY_LLAMA_LOG=1}
 * (or {@code =2} for every level) so that the CLI and UI stay clean.
 */
public final class NativeLog {
    private static final int KEEP = 64;
    private static final Deque<String> RECENT = new ArrayDeque<>();
    private static final int PRINT_LEVEL = switch (String.valueOf(System.getenv("CANOPY_LLAMA_LOG"))) {
        case "1" -> llama_h.GGML_LOG_LEVEL_WARN();
        case "2" -> llama_h.GGML_LOG_LEVEL_DEBUG();
        default -> Integer.MAX_VALUE;
    };
    private static final java.util.regex.Pattern COMPUTE_BUFFER =
            java.util.regex.Pattern.compile("compute buffer size =\\s*([0-9.]+) MiB");
    private static final java.util.regex.Pattern KV_BUFFER =
            java.util.regex.Pattern.compile("(\\S+) KV buffer size =\\s*([0-9.]+) MiB");
    private static int lastLevel = llama_h.GGML_LOG_LEVEL_NONE();
    private static double computeBufferMiB;   // llama.cpp's compute buffers reported since the last take
    private static final java.util.Map<String, Double> KV_BUFFER_MIB = new java.util.TreeMap<>(); // by buffer name, since the last take

    private NativeLog() {}

    /** Installs the callback for llama and ggml; the upcall stub lives as long as the process (owned by the global arena). */
    static void install() {
        MemorySegment callback = ggml_log_callback.allocate(NativeLog::onLog, Arena.global());
        llama_h.llama_log_set(callback, MemorySegment.NULL);
        llama_h.ggml_log_set(callback, MemorySegment.NULL);
    }

    private static void onLog(int level, MemorySegment text, MemorySegment userData) {
        String line = text.reinterpret(Long.MAX_VALUE).getString(0).stripTrailing();
        int effective = level == llama_h.GGML_LOG_LEVEL_CONT() ? lastLevel : level;
        lastLevel = effective;
        if (effective >= PRINT_LEVEL) System.err.println(line);
        if (line.contains("buffer size")) {   // only buffer lines are parsed: the callback sees every debug line
            java.util.regex.Matcher m = COMPUTE_BUFFER.matcher(line);
            if (m.find()) {
                synchronized (RECENT) { computeBufferMiB += Double.parseDouble(m.group(1)); }
            }
            java.util.regex.Matcher kv = KV_BUFFER.matcher(line);
            if (kv.find()) {
                synchronized (RECENT) { KV_BUFFER_MIB.merge(kv.group(1), Double.parseDouble(kv.group(2)), Double::sum); }
            }
        }
        if (effective >= llama_h.GGML_LOG_LEVEL_WARN() && !line.isEmpty()) {
            synchronized (RECENT) {
                if (RECENT.size() == KEEP) RECENT.removeFirst();
                RECENT.addLast(line);
            }
        }
    }

    /**
     * The compute buffer sizes llama.cpp reported (its "compute buffer size = X MiB" lines, all
     * backends) since the last call, in bytes; resets the sum. Benchmarks compare peak memory with it.
     */
    public static long takeComputeBufferBytes() {
        synchronized (RECENT) {
            long bytes = Math.round(computeBufferMiB * 1024 * 1024);
            computeBufferMiB = 0;
            return bytes;
        }
    }

    /**
     * Where llama.cpp put its KV caches since the last call: MiB per buffer name ("CPU",
     * "Vulkan0", "CUDA0"), from its "X KV buffer size = N MiB" lines; resets them.
     */
    public static java.util.Map<String, Double> takeKvBufferMiB() {
        synchronized (RECENT) {
            var out = java.util.Map.copyOf(KV_BUFFER_MIB);
            KV_BUFFER_MIB.clear();
            return out;
        }
    }

    /** Removes and returns the warnings and errors logged since the last call. */
    public static List<String> drain() {
        synchronized (RECENT) {
            List<String> out = List.copyOf(RECENT);
            RECENT.clear();
            return out;
        }
    }

    /** The drained lines joined for an error message: {@code " (llama.cpp: a; b)"} or empty. */
    public static String drainAsSuffix() {
        List<String> lines = drain();
        return lines.isEmpty() ? "" : " (llama.cpp: " + String.join("; ", lines) + ")";
    }
}
