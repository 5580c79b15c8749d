package dev.canopy.app.settings;

import dev.canopy.natives.rpc.RpcBackend;
import dev.canopy.natives.rpc.RpcEndpoint;
import dev.canopy.natives.rpc.RpcProbe;
import dev.canopy.natives.rpc.RpcWorkerException;
import dev.canopy.natives.rpc.WorkerStatus;

import java.time.Duration;
import java.util.Locale;

/**
 * "Check" in Settings, Other computers: the RPC handshake with one worker ({@link RpcProbe}, the check a
 * model load makes before ggml's client meets the worker), told in one sentence. It blocks for up to
 * the handshake timeout: call it off the UI thread.
 */
public final class WorkerCheck {
    private WorkerCheck() {}

    /** Whether a worker can take layers. */
    public enum Outcome { READY, UNUSABLE }

    /**
     * What checking one worker found.
     *
     * @param worker  as entered, {@code host:port}
     * @param outcome ready or not
     * @param message one sentence for the person, naming the worker
     */
    public record Result(String worker, Outcome outcome, String message) {}

    /** Checks {@code hostPort} within {@link RpcBackend#HANDSHAKE_TIMEOUT}. */
    public static Result check(String hostPort) {
        return check(hostPort, RpcBackend.HANDSHAKE_TIMEOUT);
    }

    public static Result check(String hostPort, Duration timeout) {
        RpcEndpoint endpoint;
        try {
            endpoint = RpcEndpoint.parse(hostPort);
        } catch (IllegalArgumentException e) {
            return new Result(hostPort, Outcome.UNUSABLE, sentence(e.getMessage()));
        }
        try {
            WorkerStatus s = RpcProbe.probe(endpoint, timeout);
            int n = s.devices().size();
            return new Result(hostPort, Outcome.READY, String.format(Locale.ROOT,
                    "%s is ready: %d %s with %,d MiB free (RPC protocol %s).", endpoint, n, n == 1 ? "device" : "devices",
                    s.free() >> 20, s.protocol()));
        } catch (RpcWorkerException e) {
            return new Result(hostPort, Outcome.UNUSABLE, sentence(e.getMessage()));
        }
    }

    /** {@code "worker h:p refused …"} as a sentence: capitalized, ending in a full stop or a question mark. */
    private static String sentence(String s) {
        String t = s == null || s.isBlank() ? "The worker cannot be used" : s.strip();
        if (!t.endsWith(".") && !t.endsWith("?")) t += ".";
        return Character.toUpperCase(t.charAt(0)) + t.substring(1);
    }
}
