package dev.canopy.natives.rpc;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The handshake's failures, each a one-line error naming the worker (never ggml's abort). */
class RpcProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void aWorkerThatIsDownIsNamed() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) { port = s.getLocalPort(); }
        RpcEndpoint down = new RpcEndpoint("127.0.0.1", port);
        assertThatThrownBy(() -> RpcProbe.probe(down, TIMEOUT))
                .isInstanceOf(RpcWorkerException.class)
                .hasMessage("worker 127.0.0.1:" + port + " refused the connection: is `canopy worker` running there, on that port?");
    }

    @Test
    void anotherProtocolVersionIsReported() throws Exception {
        // a server that answers HELLO as protocol 6.1.0 would (the same message layout, another major)
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofVirtual().start(() -> answerHello(server, 6));
            RpcEndpoint old = new RpcEndpoint("127.0.0.1", server.getLocalPort());
            assertThatThrownBy(() -> RpcProbe.probe(old, TIMEOUT))
                    .isInstanceOf(RpcWorkerException.class)
                    .hasMessageContaining("worker " + old + " speaks RPC protocol 6.1.0, this Canopy speaks 7.0.0");
            t.join();
        }
    }

    @Test
    void somethingElseOnThePortIsReported() throws Exception {
        // an older ggml server closes the connection when HELLO's size is not its own; so does this one
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) { s.getInputStream().read(new byte[9]); } catch (IOException ignored) { }
            });
            RpcEndpoint other = new RpcEndpoint("127.0.0.1", server.getLocalPort());
            assertThatThrownBy(() -> RpcProbe.probe(other, TIMEOUT))
                    .isInstanceOf(RpcWorkerException.class)
                    .hasMessageContaining("worker " + other + " closed the connection instead of sending its handshake");
            t.join();
        }
    }

    @Test
    void aSilentServerTimesOut() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RpcEndpoint silent = new RpcEndpoint("127.0.0.1", server.getLocalPort());
            assertThatThrownBy(() -> RpcProbe.probe(silent, Duration.ofMillis(300)))
                    .isInstanceOf(RpcWorkerException.class)
                    .hasMessageContaining("worker " + silent + " did not answer within 300 ms");
        }
    }

    private static void answerHello(ServerSocket server, int major) {
        try (Socket s = server.accept()) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            in.readFully(new byte[1 + 8 + 24]);
            ByteBuffer rsp = ByteBuffer.allocate(8 + 28).order(ByteOrder.LITTLE_ENDIAN);
            rsp.putLong(28).put((byte) major).put((byte) 1).put((byte) 0);
            s.getOutputStream().write(rsp.array());
            s.getOutputStream().flush();
            in.read();   // until the client closes
        } catch (IOException ignored) {
        }
    }
}
