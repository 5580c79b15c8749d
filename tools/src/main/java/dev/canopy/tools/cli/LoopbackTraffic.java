package dev.canopy.tools.cli;

import dev.canopy.engine.GenerationListener;
import dev.canopy.natives.rpc.RpcEndpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bytes through this computer's loopback interface, from Linux's /proc/net/dev: with workers on
 * loopback, what the RPC protocol sends and receives (both ways, TCP/IP headers included; on
 * loopback every byte sent is also received, so the transmit count is the traffic).
 */
final class LoopbackTraffic {
    private static final Path DEV = Path.of("/proc/net/dev");

    private LoopbackTraffic() {}

    static boolean readable() {
        return Files.isReadable(DEV);
    }

    static boolean isLoopback(RpcEndpoint worker) {
        try {
            return InetAddress.getByName(worker.host()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The loopback interface's transmitted bytes so far (0 where /proc/net/dev is not there). */
    static long bytes() {
        if (!readable()) return 0;
        try {
            for (String line : Files.readAllLines(DEV)) {
                String t = line.strip();
                if (!t.startsWith("lo:")) continue;
                String[] f = t.substring(3).strip().split("\\s+");
                return Long.parseLong(f[8]);   // receive: bytes packets errs drop fifo frame compressed multicast; then transmit bytes
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One generation's traffic, split at the end of its prefill (a listener of that generation). */
    static final class Run implements GenerationListener {
        private final long start = bytes();
        private long prefilled = -1, end;

        @Override
        public void onPrefillProgress(int done, int total) {
            if (done == total) prefilled = bytes();
        }

        void finished() {
            end = bytes();
            if (prefilled < 0) prefilled = start;   // nothing prefilled (a cached prompt): all of it is decode
        }

        long prefillBytes() { return prefilled - start; }
        long decodeBytes() { return end - prefilled; }
    }
}
