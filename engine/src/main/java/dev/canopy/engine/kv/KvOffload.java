package dev.canopy.engine.kv;

import dev.canopy.kv.KvBudgets;
import dev.canopy.kv.KvKey;
import dev.canopy.kv.KvType;

import java.nio.file.Path;

/**
 * How a Canopy session keeps its KV in the tiered store ({@code --kv-gpu-mb}, {@code --kv-ram-mb},
 * {@code --kv-dir}) instead of one dense buffer.
 *
 * <p>The RAM budget covers everything the KV holds in host memory: the page slots of the host
 * tier and the attention working set (the gathered rows every layer attends to in one step). When
 * the whole KV fits, attention is dense (every page gathered) and exact. When it does not and
 * {@code attendTokens} is 0, half of the budget goes to the working set and sets how many tokens
 * each layer attends to; the pages are then chosen per layer by their importance bound for the
 * layer's latest query, always keeping the sink and the recent window. The layers on a GPU keep
 * their working set in device memory: with a device budget too small for their KV and a working
 * set of every key, half of it goes to their working sets the same way (the smaller of the two
 * sizes wins), the rest to device pages.
 *
 * @param directory      where {@code <key>.kvpages} / {@code .kvmanifest} live; the KV is
 *                       saved there on close and reopened by a later session with the same key;
 *                       null: a temporary folder, deleted on close (nothing is saved)
 * @param key            whose KV it is (a conversation, an API slot): the name it is saved under
 * @param deviceBytes    device budget: pages, and the GPU layers' working set (ignored without a GPU)
 * @param hostBytes      RAM budget ({@link KvBudgets#UNLIMITED} = everything in RAM)
 * @param diskBytes      page file budget
 * @param attendTokens   tokens each layer attends to per step (0 = derived from the RAM budget; at
 *                       least the context = always dense)
 * @param sinkTokens     first tokens always attended to
 * @param windowTokens   most recent tokens always attended to (capped to fit the working set)
 * @param pageTokens     tokens per page
 * @param coldType       page format on disk: F16 keeps dense attention and resume exact, Q8_0 halves the file
 */
public record KvOffload(Path directory, KvKey key, long deviceBytes, long hostBytes, long diskBytes,
                        int attendTokens, int sinkTokens, int windowTokens, int pageTokens, KvType coldType) {
    public static final int DEFAULT_PAGE_TOKENS = 64;
    public static final int DEFAULT_WINDOW_TOKENS = 1024;

    public KvOffload {
        if (key == null || coldType == null) throw new IllegalArgumentException("the KV key and cold type are required");
        if (deviceBytes < 0 || hostBytes < 0 || diskBytes < 0) throw new IllegalArgumentException("KV budgets must be >= 0");
        if (attendTokens < 0 || sinkTokens < 0 || windowTokens < 0 || pageTokens < 1) throw new IllegalArgumentException("bad KV selection settings");
    }

    /** From the command line's megabytes (negative = unlimited), with default selection settings and F16 pages. */
    public static KvOffload ofMegabytes(Path directory, KvKey key, long gpuMb, long ramMb) {
        KvBudgets b = KvBudgets.ofMegabytes(gpuMb, ramMb, -1, KvType.F16);
        return new KvOffload(directory, key, gpuMb < 0 ? 0 : b.deviceBytes(), b.hostBytes(), b.diskBytes(),
                0, DEFAULT_PAGE_TOKENS, DEFAULT_WINDOW_TOKENS, DEFAULT_PAGE_TOKENS, KvType.F16);
    }

    /** Everything in RAM (dense, exact), saved in {@code directory} on close. */
    public static KvOffload persistentInRam(Path directory, KvKey key) {
        return ofMegabytes(directory, key, 0, -1);
    }

    public KvOffload withHostBytes(long bytes) {
        return new KvOffload(directory, key, deviceBytes, bytes, diskBytes, attendTokens, sinkTokens, windowTokens, pageTokens, coldType);
    }

    public KvOffload withAttendTokens(int tokens) {
        return new KvOffload(directory, key, deviceBytes, hostBytes, diskBytes, tokens, sinkTokens, windowTokens, pageTokens, coldType);
    }

    public KvOffload withWindow(int sink, int window) {
        return new KvOffload(directory, key, deviceBytes, hostBytes, diskBytes, attendTokens, sink, window, pageTokens, coldType);
    }

    public KvOffload withPageTokens(int tokens) {
        return new KvOffload(directory, key, deviceBytes, hostBytes, diskBytes, attendTokens, sinkTokens, windowTokens, tokens, coldType);
    }

    public KvOffload withKey(KvKey k) {
        return new KvOffload(directory, k, deviceBytes, hostBytes, diskBytes, attendTokens, sinkTokens, windowTokens, pageTokens, coldType);
    }
}
