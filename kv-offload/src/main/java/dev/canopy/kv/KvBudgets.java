package dev.canopy.kv;

import dev.canopy.natives.ByteSizes;

/**
 * Byte budgets per tier (the settings {@code --kv-gpu-mb}, {@code --kv-ram-mb}) and the format of
 * cold pages.
 *
 * <p>Disk holds every sealed page (write-through); host and device memory cache the pages that
 * matter now. The host budget must hold at least one page slot per layer (the page being filled
 * lives there until it is written). Gather buffers ({@link KvStore#newGatherBuffer}) are the
 * attention working set the engine asks for and are not part of these budgets.
 *
 * @param deviceBytes accelerator memory for pages (ignored, i.e. 0, when ggml lists no GPU)
 * @param hostBytes   host memory for pages (pinned when the GPU backend offers it)
 * @param diskBytes   the largest the conversation's page file may grow
 * @param coldType    how pages are stored on disk: F16 or Q8_0 (or F32); exact resume and exact
 *                    dense attention over the disk tier need {@code coldType == hotType}, and a
 *                    quantized hot type (Q8_0, Q4_0) is stored as itself
 */
public record KvBudgets(long deviceBytes, long hostBytes, long diskBytes, KvType coldType) {

    public static final long UNLIMITED = Long.MAX_VALUE;

    public KvBudgets {
        if (deviceBytes < 0 || hostBytes < 0 || diskBytes < 0) throw new IllegalArgumentException("budgets must be >= 0");
        if (coldType == null) throw new IllegalArgumentException("coldType is required");
    }

    /** Everything may stay in host memory; no device tier. */
    public static KvBudgets allInRam(KvType coldType) {
        return new KvBudgets(0, UNLIMITED, UNLIMITED, coldType);
    }

    /** From the command line's megabyte settings (a negative value means unlimited). */
    public static KvBudgets ofMegabytes(long deviceMb, long hostMb, long diskMb, KvType coldType) {
        return new KvBudgets(mb(deviceMb), mb(hostMb), mb(diskMb), coldType);
    }

    /** A budget or size for people: "unlimited", or as {@link ByteSizes#describe} writes it ("1.6 MiB", "3 KiB"). */
    public static String describe(long bytes) {
        return bytes == UNLIMITED ? "unlimited" : ByteSizes.describe(bytes);
    }

    private static long mb(long v) {
        return v < 0 ? UNLIMITED : Math.multiplyExact(v, 1L << 20);
    }

    public KvBudgets withDevice(long bytes) { return new KvBudgets(bytes, hostBytes, diskBytes, coldType); }
    public KvBudgets withHost(long bytes) { return new KvBudgets(deviceBytes, bytes, diskBytes, coldType); }
    public KvBudgets withDisk(long bytes) { return new KvBudgets(deviceBytes, hostBytes, bytes, coldType); }
    public KvBudgets withCold(KvType type) { return new KvBudgets(deviceBytes, hostBytes, diskBytes, type); }
}
