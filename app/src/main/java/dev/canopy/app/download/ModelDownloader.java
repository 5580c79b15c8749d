package dev.canopy.app.download;

import dev.canopy.app.errors.UserFacingException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Downloads a model file over https into {@code <file>.part}, resuming with an HTTP Range request
 * after a dropped connection or a later restart, then checks its sha256 before renaming it.
 */
public final class ModelDownloader {
    private static final int BUFFER = 256 * 1024;
    private static final int MAX_ATTEMPTS_WITHOUT_PROGRESS = 5;

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "canopy-download-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final HttpClient client;
    private final Duration retryDelay;
    private final Duration stallTimeout;

    public ModelDownloader() {
        this(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20)).build(), Duration.ofSeconds(2), Duration.ofSeconds(60));
    }

    /**
     * @param retryDelay   pause before reconnecting (grows with each failure in a row)
     * @param stallTimeout a connection that delivers no byte for this long is closed and resumed
     */
    public ModelDownloader(HttpClient client, Duration retryDelay, Duration stallTimeout) {
        this.client = client;
        this.retryDelay = retryDelay;
        this.stallTimeout = stallTimeout;
    }

    /** Downloads {@code request}; throws {@link CancellationException} when cancelled (the partial file stays for resuming). */
    public DownloadResult download(DownloadRequest request, DownloadListener listener, CancelSignal cancel)
            throws IOException, InterruptedException {
        Path part = request.partFile();
        Files.createDirectories(part.toAbsolutePath().getParent());
        boolean resumed = Files.exists(part) && Files.size(part) > 0;
        String expected = request.expectedSha256();
        int failures = 0;
        while (true) {
            checkCancelled(cancel);
            long before = Files.exists(part) ? Files.size(part) : 0;
            listener.onPhase(DownloadPhase.CONNECTING, request.url().getHost());
            try {
                Attempt a = attempt(request, part, before, listener, cancel);
                if (expected.isEmpty()) expected = a.serverSha256();
                if (a.complete()) break;
            } catch (IOException e) {
                checkCancelled(cancel);
                if (Files.exists(part) && Files.size(part) > before) failures = 0;
                if (++failures >= MAX_ATTEMPTS_WITHOUT_PROGRESS) throw e;
                listener.onPhase(DownloadPhase.RETRYING, e.getMessage() == null ? "connection lost" : e.getMessage());
                Thread.sleep(retryDelay.toMillis() * failures);
                continue;
            }
            if (Files.size(part) > before) failures = 0;
            else if (++failures >= MAX_ATTEMPTS_WITHOUT_PROGRESS) {
                throw new UserFacingException("The server keeps closing the connection before the file is complete. Try again later.");
            }
            listener.onPhase(DownloadPhase.RETRYING, "connection closed early");
            Thread.sleep(retryDelay.toMillis() * failures);
        }
        listener.onPhase(DownloadPhase.VERIFYING, part.getFileName().toString());
        String actual = Sha256.of(part, listener, cancel);
        String fileName = request.target().getFileName().toString();
        if (!expected.isEmpty() && !expected.equals(actual)) {
            Files.deleteIfExists(part);
            throw new ChecksumMismatchException(fileName, expected, actual);
        }
        Files.move(part, request.target(), StandardCopyOption.REPLACE_EXISTING);
        listener.onPhase(DownloadPhase.DONE, fileName);
        return new DownloadResult(request.target(), Files.size(request.target()), actual, !expected.isEmpty(), resumed);
    }

    private record Attempt(boolean complete, String serverSha256) {}

    private Attempt attempt(DownloadRequest request, Path part, long have, DownloadListener listener, CancelSignal cancel)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(request.url()).timeout(Duration.ofSeconds(30))
                .header("User-Agent", "Canopy");
        if (have > 0) b.header("Range", "bytes=" + have + "-");
        HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        String sha = ServerHeaders.sha256(r);
        try (InputStream in = r.body()) {
            int status = r.statusCode();
            if (status == 416 && have > 0 && ServerHeaders.total(r, have) == have) return new Attempt(true, sha);
            if (status == 416) {
                Files.deleteIfExists(part);
                return new Attempt(false, sha);
            }
            ServerHeaders.checkStatus(status, request.url());
            if (status == 206 && ServerHeaders.rangeStart(r) != have) {
                Files.deleteIfExists(part); // the server sent another range than asked: start over
                return new Attempt(false, sha);
            }
            boolean append = status == 206;
            long start = append ? have : 0;
            long total = append ? ServerHeaders.total(r, -1) : r.headers().firstValueAsLong("Content-Length").orElse(-1);
            Runnable closer = () -> closeQuietly(in);
            cancel.onCancel(closer);
            AtomicLong lastByte = new AtomicLong(System.nanoTime());
            long period = Math.max(50, stallTimeout.toMillis() / 4);
            ScheduledFuture<?> watchdog = WATCHDOG.scheduleAtFixedRate(() -> {
                if (System.nanoTime() - lastByte.get() > stallTimeout.toNanos()) closeQuietly(in);
            }, period, period, TimeUnit.MILLISECONDS);
            listener.onPhase(DownloadPhase.DOWNLOADING, request.target().getFileName().toString());
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                long done = copy(in, out, start, total, listener, cancel, lastByte);
                return new Attempt(total < 0 || done >= total, sha);
            } finally {
                watchdog.cancel(false);
                cancel.remove(closer);
            }
        } catch (IOException e) {
            checkCancelled(cancel);
            throw e;
        }
    }

    private static long copy(InputStream in, OutputStream out, long start, long total, DownloadListener listener,
                             CancelSignal cancel, AtomicLong lastByte) throws IOException {
        byte[] buf = new byte[BUFFER];
        long done = start;
        long lastReport = 0;
        listener.onProgress(done, total);
        int n;
        while ((n = in.read(buf)) >= 0) {
            checkCancelled(cancel);
            out.write(buf, 0, n);
            done += n;
            long now = System.nanoTime();
            lastByte.set(now);
            if (now - lastReport > 100_000_000L) {
                listener.onProgress(done, total);
                lastReport = now;
            }
        }
        out.flush();
        listener.onProgress(done, total);
        return done;
    }

    static void checkCancelled(CancelSignal cancel) {
        if (cancel.isCancelled()) throw new CancellationException("Download cancelled");
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing to unblock a read; nothing to do
        }
    }
}
