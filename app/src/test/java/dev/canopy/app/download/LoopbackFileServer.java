package dev.canopy.app.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves one file on 127.0.0.1 with Range support; can drop the connection part-way through the
 * first few answers, report a sha256 as ETag, and stall to let a test cancel.
 */
public final class LoopbackFileServer implements AutoCloseable {
    public final byte[] body;
    public final List<String> ranges = new CopyOnWriteArrayList<>();
    public final AtomicInteger requests = new AtomicInteger();
    public volatile int dropAfterBytes = -1;   // close the connection after this many body bytes...
    public volatile int drops;                 // ...for this many requests
    public volatile String etag;
    public volatile int status = 0;            // force a status (e.g. 404)
    public volatile CountDownLatch stall;      // while set, pause mid-body until released
    public volatile boolean stallOnce;         // stall only the first answer
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    public LoopbackFileServer(byte[] body) throws IOException {
        this.body = body;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    public String url(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/files/" + name;
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        String range = ex.getRequestHeaders().getFirst("Range");
        ranges.add(range == null ? "" : range);
        if (status != 0) {
            ex.sendResponseHeaders(status, -1);
            ex.close();
            return;
        }
        if (etag != null) ex.getResponseHeaders().add("ETag", "\"" + etag + "\"");
        int from = 0;
        if (range != null && range.startsWith("bytes=")) {
            from = Integer.parseInt(range.substring(6, range.indexOf('-')));
            if (from >= body.length) {
                ex.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
                ex.sendResponseHeaders(416, -1);
                ex.close();
                return;
            }
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            ex.sendResponseHeaders(206, body.length - from);
        } else {
            ex.sendResponseHeaders(200, body.length);
        }
        int limit = body.length - from;
        boolean drop = drops > 0 && dropAfterBytes >= 0;
        if (drop) {
            drops--;
            limit = Math.min(limit, dropAfterBytes);
        }
        // On a drop the handler throws without closing the body: the server then closes the TCP connection.
        OutputStream out = ex.getResponseBody();
        int half = limit / 2;
        out.write(body, from, half);
        out.flush();
        CountDownLatch s = stall;
        if (stallOnce) stall = null;
        if (s != null) {
            try {
                s.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        out.write(body, from + half, limit - half);
        out.flush();
        if (drop) throw new IOException("dropping the connection on purpose");
        out.close();
    }

    @Override
    public void close() {
        CountDownLatch s = stall;
        if (s != null) s.countDown();
        server.stop(0);
        pool.shutdownNow();
    }

    public static List<String> nonEmpty(List<String> l) {
        List<String> out = new ArrayList<>();
        for (String s : l) if (!s.isEmpty()) out.add(s);
        return out;
    }
}
