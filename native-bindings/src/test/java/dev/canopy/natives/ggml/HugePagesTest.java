package dev.canopy.natives.ggml;

import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.ffi.llama_h;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HugePagesTest {
    private static final Path THP = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    /**
     * Where Linux grants transparent huge pages on request ("[madvise]" or "[always]"), a large CPU buffer
     * (the KV cache's kind) is backed by them once written: /proc/self/smaps counts AnonHugePages in it.
     */
    @Test
    void aLargeHostBufferIsBackedByHugePagesOnceWritten() throws Exception {
        assumeTrue(Files.isReadable(THP) && !Files.readString(THP).contains("[never]"), "no transparent huge pages here");
        NativeRuntime.get();
        long bytes = 64L << 20;
        try (GgmlBackend cpu = GgmlBackend.cpu(1); GgmlContext ctx = GgmlContext.metadata(1, 0)) {
            llama_h.ggml_new_tensor_1d(ctx.handle(), llama_h.GGML_TYPE_I8(), bytes);
            try (BackendBuffer buffer = BackendBuffer.allocate(ctx, cpu.bufferType(), "a test")) {
                buffer.clear((byte) 0);   // the first touch, as the KV cache's clear is
                long base = llama_h.ggml_backend_buffer_get_base(buffer.handle()).address();
                assertThat(anonHugeKb(base, base + buffer.size())).as("KiB of huge pages in the buffer").isGreaterThanOrEqualTo(2048);
            }
        }
    }

    /** AnonHugePages (KiB) of the mappings of this process that overlap [from, to). */
    private static long anonHugeKb(long from, long to) throws Exception {
        long kb = 0;
        boolean inside = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                String[] range = line.substring(0, line.indexOf(' ')).split("-");
                long start = Long.parseUnsignedLong(range[0], 16), end = Long.parseUnsignedLong(range[1], 16);
                inside = start < to && end > from;
            } else if (inside && line.startsWith("AnonHugePages:")) {
                kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return kb;
    }
}
