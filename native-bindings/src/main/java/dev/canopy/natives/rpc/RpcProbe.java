package dev.canopy.natives.rpc;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks a worker who it is before ggml's RPC client connects to it, in plain Java over one TCP
 * connection: the protocol's HELLO (its version), DEVICE_COUNT and GET_DEVICE_MEMORY, then closes.
 * ggml's client aborts the whole process when a worker is down or speaks another version
 * (GGML_ABORT in rpc_dispatcher::start), so Canopy never hands it an endpoint this has not answered.
 *
 * <p>The messages are ggml-rpc.cpp's (protocol 7): a command byte, a little-endian uint64 size and the
 * request; the answer is a uint64 size and the response.
 */
public final class RpcProbe {
    /** The protocol version of the RPC backend Canopy is built with (ggml-rpc.h of llama.cpp v0.5.0). */
    public static final int PROTOCOL_MAJOR = 7;
    public static final int PROTOCOL_MINOR = 0;
    public static final int PROTOCOL_PATCH = 0;
    public static final String PROTOCOL = PROTOCOL_MAJOR + "." + PROTOCOL_MINOR + "." + PROTOCOL_PATCH;

    private static final int CMD_GET_DEVICE_MEMORY = 11;
    private static final int CMD_HELLO = 14;
    private static final int CMD_DEVICE_COUNT = 15;
    private static final int CONN_CAPS = 24;          // RPC_CONN_CAPS_SIZE: zero = plain TCP, no RDMA
    private static final int HELLO_RSP = 4 + CONN_CAPS;
    private static final int MAX_DEVICES = 16;        // GGML_RPC_MAX_SERVERS; a larger count is not a worker

    private RpcProbe() {}

    /**
     * Probes {@code worker} until it answers the handshake (a worker that is still starting), for at
     * most {@code patience}; then throws the last probe's {@link RpcWorkerException}.
     */
    public static WorkerStatus awaitReady(RpcEndpoint worker, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                return probe(worker, Duration.ofSeconds(2));
            } catch (RpcWorkerException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(50);
            }
        }
    }

    /** Handshakes with {@code worker}; throws {@link RpcWorkerException} naming it when it cannot be used. */
    public static WorkerStatus probe(RpcEndpoint worker, Duration timeout) {
        int millis = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(worker.host(), worker.port()), millis);
            socket.setSoTimeout(millis);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());

            send(out, CMD_HELLO, new byte[CONN_CAPS]);
            ByteBuffer hello = receive(in, HELLO_RSP, worker, "its handshake");
            int major = hello.get() & 0xff, minor = hello.get() & 0xff, patch = hello.get() & 0xff;
            String version = major + "." + minor + "." + patch;
            if (major != PROTOCOL_MAJOR || minor > PROTOCOL_MINOR) {
                throw new RpcWorkerException(worker, "worker " + worker + " speaks RPC protocol " + version
                        + ", this Canopy speaks " + PROTOCOL + ": run the same Canopy version on both computers");
            }

            send(out, CMD_DEVICE_COUNT, new byte[0]);
            int count = receive(in, 4, worker, "its device count").getInt();
            if (count < 1 || count > MAX_DEVICES) {
                throw new RpcWorkerException(worker, "worker " + worker + " reported " + count + " devices: it serves nothing Canopy can use");
            }
            List<WorkerStatus.RemoteMemory> devices = new ArrayList<>();
            for (int d = 0; d < count; d++) {
                send(out, CMD_GET_DEVICE_MEMORY, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(d).array());
                ByteBuffer mem = receive(in, 16, worker, "its device memory");
                devices.add(new WorkerStatus.RemoteMemory(mem.getLong(), mem.getLong()));
            }
            return new WorkerStatus(worker, version, devices);
        } catch (UnknownHostException e) {
            throw new RpcWorkerException(worker, "worker " + worker + ": unknown host " + worker.host());
        } catch (ConnectException e) {
            throw new RpcWorkerException(worker, "worker " + worker + " refused the connection: is `canopy worker` running there, on that port?");
        } catch (NoRouteToHostException e) {
            throw new RpcWorkerException(worker, "worker " + worker + " cannot be reached (no route to host)");
        } catch (SocketTimeoutException e) {
            throw new RpcWorkerException(worker, "worker " + worker + " did not answer within " + timeout.toMillis()
                    + " ms (busy with another client, or a firewall in the way?)");
        } catch (IOException e) {
            throw new RpcWorkerException(worker, "worker " + worker + ": " + e.getMessage());
        }
    }

    private static void send(OutputStream out, int command, byte[] request) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + request.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) command).putLong(request.length).put(request);
        out.write(b.array());
        out.flush();
    }

    private static ByteBuffer receive(DataInputStream in, int size, RpcEndpoint worker, String what) throws IOException {
        byte[] header = new byte[8];
        try {
            in.readFully(header);
            long got = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (got != size) {
                throw new RpcWorkerException(worker, "worker " + worker + " sent " + what + " in " + got + " bytes, not "
                        + size + ": it is not a ggml RPC server of protocol " + PROTOCOL_MAJOR + ".x");
            }
            byte[] body = new byte[size];
            in.readFully(body);
            return ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        } catch (EOFException e) {
            throw new RpcWorkerException(worker, "worker " + worker + " closed the connection instead of sending " + what
                    + ": it speaks another RPC protocol version than " + PROTOCOL + ", or is not a Canopy worker");
        }
    }
}
