package dev.canopy.app.cli;

import dev.canopy.natives.rpc.RpcEndpoint;
import dev.canopy.natives.rpc.RpcProbe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code canopy worker}s as child processes on loopback (CPU, one thread each), answering the RPC
 * handshake before {@link #start} returns; their output goes to {@code workerN.log} in a folder.
 * Owns the processes: {@link #close} ends them. For the tests of {@code --rpc} and {@code bench-rpc}.
 */
public final class LoopbackWorkers implements AutoCloseable {
    private final List<Process> processes;     // owned
    private final List<RpcEndpoint> endpoints;

    private LoopbackWorkers(List<Process> processes, List<RpcEndpoint> endpoints) {
        this.processes = processes;
        this.endpoints = endpoints;
    }

    /** Starts {@code count} workers and waits (at most a minute each) until each answers the handshake. */
    public static LoopbackWorkers start(int count, Path logs) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        List<RpcEndpoint> endpoints = new ArrayList<>();
        LoopbackWorkers workers = new LoopbackWorkers(processes, endpoints);
        try {
            for (int i = 0; i < count; i++) {
                RpcEndpoint e = new RpcEndpoint("127.0.0.1", freePort());
                processes.add(new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                        CanopyCli.class.getName(), "worker", "--port", Integer.toString(e.port()), "--device", "cpu", "--threads", "1")
                        .redirectErrorStream(true).redirectOutput(logs.resolve("worker" + i + ".log").toFile()).start());
                endpoints.add(e);
            }
            for (RpcEndpoint e : endpoints) RpcProbe.awaitReady(e, Duration.ofSeconds(60));
            return workers;
        } catch (IOException | InterruptedException | RuntimeException e) {
            workers.close();
            throw e;
        }
    }

    public List<RpcEndpoint> endpoints() { return List.copyOf(endpoints); }

    /** The workers as {@code --rpc} takes them: "host:port,host:port". */
    public String rpcList() {
        return String.join(",", endpoints.stream().map(RpcEndpoint::toString).toList());
    }

    /** Kills worker {@code i} at once (as a crash or a power cut would) and waits until it is gone. */
    public void kill(int i) throws InterruptedException {
        processes.get(i).destroyForcibly().waitFor();
    }

    /**
     * Stops worker {@code i} without ending it (SIGSTOP, as a process stuck in a loop or a debugger would
     * look from outside): its computer's kernel still accepts the connection and answers keep-alive,
     * but the worker answers nothing. POSIX only; {@link #close} still ends it.
     */
    public void stop(int i) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-STOP", Long.toString(processes.get(i).pid())).inheritIO().start();
        if (kill.waitFor() != 0) throw new IOException("kill -STOP " + processes.get(i).pid() + " failed");
    }

    /** A loopback port nothing listens on (at the moment of the call). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) { return s.getLocalPort(); }
    }


    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);   // a stopped worker ignores SIGTERM until it is continued
    }
}
