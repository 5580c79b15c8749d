package dev.canopy.natives.ggml;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Optional;

/**
 * Asks Linux to back large host buffers (the KV cache, repacked weights) with transparent huge pages
 * ({@code madvise(MADV_HUGEPAGE)}), before anything touches them. Where the system's THP setting is
 * "madvise" (Ubuntu's default), ggml's buffers otherwise get 4 KiB pages: a fault per page when first
 * written and a TLB miss every few rows when attention reads the cache. Elsewhere (other systems,
 * THP "never" or "always") it does nothing or is harmless.
 */
final class HugePages {
    private static final int MADV_HUGEPAGE = 14;       // linux/mman.h
    private static final long PAGE = 4096;
    /** Below this a buffer holds no aligned 2 MiB page worth asking for. */
    static final long MIN_BYTES = 4L << 20;
    private static final Optional<MethodHandle> MADVISE = find();

    private HugePages() {}

    private static Optional<MethodHandle> find() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) return Optional.empty();
        Linker linker = Linker.nativeLinker();
        return linker.defaultLookup().find("madvise").map(f -> linker.downcallHandle(f,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT)));
    }

    /** Advises huge pages for the whole pages inside [base, base + bytes); true when the kernel took the advice. */
    static boolean advise(MemorySegment base, long bytes) {
        if (MADVISE.isEmpty() || bytes < MIN_BYTES || base.equals(MemorySegment.NULL)) return false;
        long start = (base.address() + PAGE - 1) & -PAGE;
        long end = (base.address() + bytes) & -PAGE;
        if (end <= start) return false;
        try {
            return (int) MADVISE.get().invokeExact(MemorySegment.ofAddress(start), end - start, MADV_HUGEPAGE) == 0;
        } catch (Throwable t) {
            return false;   // advice only: a refusal changes nothing but the page size
        }
    }
}
