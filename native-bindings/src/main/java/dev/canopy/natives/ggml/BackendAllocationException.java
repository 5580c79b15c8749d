package dev.canopy.natives.ggml;

import dev.canopy.natives.ByteSizes;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backend could not allocate a buffer (its memory is full): callers may retry with less, and a
 * user is told how much of which memory was missing.
 */
public final class BackendAllocationException extends IllegalStateException {
    private static final Pattern FAILED = Pattern.compile("failed to allocate (\\S+) buffer of size (\\d+)");

    /** The memory's name when ggml's log does not say which backend failed. */
    public static final String UNKNOWN_MEMORY = "";

    private final String what;
    private final long bytes;
    private final String memory;

    /**
     * @param what   what the buffer was for, e.g. "the compute buffers"
     * @param bytes  its size, or -1 where the backend does not say
     * @param memory the buffer type's name as ggml gives it ("CPU", "CUDA0", "Vulkan0", "CUDA_Host"),
     *               or {@link #UNKNOWN_MEMORY} where ggml does not say
     * @param detail the backend's own log lines, or ""
     */
    public BackendAllocationException(String what, long bytes, String memory, String detail) {
        super("could not allocate " + (bytes >= 0 ? ByteSizes.describe(bytes) + " of " : "") + (memory.isEmpty() ? "" : memory + " ")
                + "memory for " + what + " (out of memory?)" + detail);
        this.what = what;
        this.bytes = bytes;
        this.memory = memory;
    }

    /**
     * For a failure ggml reported only in its log (a graph allocator or scheduler that could not
     * grow its compute buffers): the memory and size come from its "failed to allocate X buffer of
     * size N" line when there is one, else {@code memory} and -1.
     */
    public static BackendAllocationException fromLog(String what, String memory, List<String> logLines) {
        for (String line : logLines) {
            Matcher m = FAILED.matcher(line);
            if (m.find()) return new BackendAllocationException(what, Long.parseLong(m.group(2)), m.group(1), suffix(logLines));
        }
        return new BackendAllocationException(what, -1, memory, suffix(logLines));
    }

    private static String suffix(List<String> lines) {
        return lines.isEmpty() ? "" : " (llama.cpp: " + String.join("; ", lines) + ")";
    }

    /** What the memory was for: "the KV cache", "the weights", "the compute buffers". */
    public String what() {
        return what;
    }

    /** The size of the buffer that could not be allocated; -1 when unknown. */
    public long bytes() {
        return bytes;
    }

    /** The memory that was full, as ggml names the buffer type ("CPU", "CUDA0", ...), or {@link #UNKNOWN_MEMORY}. */
    public String memory() {
        return memory;
    }

    /** Whether the memory that was full is a GPU's own (not the CPU's, nor pinned host memory). */
    public boolean onGpu() {
        return !memory.isEmpty() && !memory.startsWith("CPU") && !memory.endsWith("_Host");
    }
}
