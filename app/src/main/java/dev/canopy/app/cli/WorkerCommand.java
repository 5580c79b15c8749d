package dev.canopy.app.cli;

import dev.canopy.engine.DefaultGpu;
import dev.canopy.natives.BackendDevice;
import dev.canopy.natives.NativeRuntime;
import dev.canopy.natives.rpc.RpcBackend;
import dev.canopy.natives.rpc.RpcEndpoint;
import dev.canopy.natives.rpc.RpcProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code canopy worker}: lends this computer's CPU or GPU to other Canopy instances ({@code --rpc}) through
 * ggml's RPC server, until stopped. ggml's protocol has no authentication and no encryption, so it listens
 * on loopback unless {@code --allow-network} says the network is trusted.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Serves this computer's CPU or GPU to other Canopy instances (their --rpc HOST:PORT) through ggml's RPC backend. Ctrl+C stops it.")
final class WorkerCommand implements Callable<Integer> {
    enum Device { cpu, gpu }

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on. Default: ${DEFAULT-VALUE} (this computer only; reach it from others through an SSH tunnel).")
    String host;

    @Option(names = "--port", defaultValue = "" + RpcEndpoint.DEFAULT_PORT, paramLabel = "N", description = "TCP port. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--device", defaultValue = "gpu", paramLabel = "cpu|gpu",
            description = "What to serve: gpu (the default; the CPU where ggml lists no GPU) or cpu.")
    Device device;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "CPU threads when serving the CPU (0 = all; at most the processors).")
    int threads;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Keep received weights here (by hash), so a client's next load sends only hashes for large tensors.")
    Path cacheDir;

    @Option(names = "--allow-network", description = "Listen on an address other computers can reach. The protocol has no authentication and no encryption: trusted networks only.")
    boolean allowNetwork;

    @Spec
    CommandSpec spec;

    static final String UNSAFE = "ggml's RPC protocol has no authentication and no encryption: anyone who can reach the port can run"
            + " computations on this computer and read what it computes";

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        RpcEndpoint endpoint;
        try {
            endpoint = new RpcEndpoint(host, port);
        } catch (IllegalArgumentException e) {
            throw new CliException("worker: " + e.getMessage());
        }
        if (!endpoint.isLoopback()) {
            if (!allowNetwork) {
                throw new CliException("worker: --host " + host + " would serve this computer to the network, and " + UNSAFE
                        + ". Add --allow-network on a trusted network only, or keep 127.0.0.1 and reach it through an SSH tunnel"
                        + " (ssh -L " + port + ":127.0.0.1:" + port + " THIS-COMPUTER).");
            }
            out.println("warning: listening on " + endpoint + " (--allow-network): " + UNSAFE + ". Use it on a trusted network only.");
        }
        if (threads < 0) throw new CliException("worker: --threads must be 0 (all) or more, not " + threads);
        if (cacheDir != null) Files.createDirectories(cacheDir);
        checkFree(endpoint);

        NativeRuntime.get();
        RpcBackend rpc = RpcBackend.require();
        int processors = Runtime.getRuntime().availableProcessors();
        int n = threads > 0 ? Math.min(threads, processors) : processors;
        Optional<BackendDevice> gpu = device == Device.gpu ? DefaultGpu.ofThisMachine() : Optional.empty();
        BackendDevice dev;
        String what;
        if (gpu.isPresent()) {
            dev = gpu.get();
            what = "GPU " + DefaultGpu.label(gpu.get()) + ", " + (gpu.get().memoryFree() >> 20) + " MiB free";
        } else {
            if (device == Device.gpu) out.println("No GPU found here: serving the CPU.");
            dev = NativeRuntime.get().devices().stream().filter(d -> d.kind() == BackendDevice.Kind.CPU).findFirst()
                    .orElseThrow(() -> new CliException("worker: ggml lists no CPU device"));
            what = "CPU, " + n + " threads";
        }
        out.println("Canopy worker on " + endpoint + ": " + what + ", RPC protocol " + RpcProbe.PROTOCOL
                + ". Other computers use it with --rpc " + (endpoint.isLoopback() ? "127.0.0.1" : "THIS-ADDRESS") + ":" + port
                + ". Ctrl+C stops it.");
        out.flush();
        rpc.serve(endpoint, Optional.ofNullable(cacheDir), n, dev);   // returns only when it could not start
        throw new CliException("worker: ggml's RPC server could not listen on " + endpoint);
    }

    /** The port taken, or the address not this computer's: said before ggml's server meets it. */
    private static void checkFree(RpcEndpoint endpoint) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(endpoint.host()), endpoint.port()));
        } catch (IOException e) {
            throw new CliException("worker: cannot listen on " + endpoint + " (" + e.getMessage()
                    + "): another worker or program has the port, or the address is not this computer's");
        }
    }
}
