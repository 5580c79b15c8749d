package dev.canopy.app.download;

import dev.canopy.app.errors.UserFacingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Downloads from a file server on 127.0.0.1 only: never the internet. */
class ModelDownloaderTest {
    @TempDir Path dir;

    static final byte[] FILE = randomBytes(3_000_000);
    static final String SHA = sha256(FILE);

    final ModelDownloader downloader = new ModelDownloader(
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build(), Duration.ofMillis(10),
            Duration.ofSeconds(5));

    @Test
    void downloadsTheWholeFileAndChecksIt() throws Exception {
        try (LoopbackFileServer server = new LoopbackFileServer(FILE)) {
            DownloadRequest req = DownloadRequest.into(server.url("model.gguf"), dir, SHA);
            DownloadResult r = downloader.download(req, DownloadListener.NONE, new CancelSignal());
            assertThat(r.file()).isEqualTo(dir.resolve("model.gguf"));
            assertThat(Files.readAllBytes(r.file())).isEqualTo(FILE);
            assertThat(r.sha256()).isEqualTo(SHA);
            assertThat(r.verified()).isTrue();
            assertThat(dir.resolve("model.gguf.part")).doesNotExist();
        }
    }

    @Test
    void resumesWithARangeRequestAfterADroppedConnection() throws Exception {
        try (LoopbackFileServer server = new LoopbackFileServer(FILE)) {
            server.dropAfterBytes = 1_000_000;
            server.drops = 2;
            DownloadRequest req = DownloadRequest.into(server.url("model.gguf"), dir, SHA);
            DownloadResult r = downloader.download(req, DownloadListener.NONE, new CancelSignal());
            assertThat(Files.readAllBytes(r.file())).isEqualTo(FILE);
            assertThat(server.requests.get()).isEqualTo(3);
            // each retry resumes where the received bytes end: at most the 1,000,000 sent per
            // dropped answer (a reset connection may lose the last bytes in flight), never from 0
            List<String> ranges = LoopbackFileServer.nonEmpty(server.ranges);
            assertThat(ranges).hasSize(2).allMatch(range -> range.matches("bytes=\\d+-"));
            long first = Long.parseLong(ranges.get(0).replaceAll("\\D", ""));
            long second = Long.parseLong(ranges.get(1).replaceAll("\\D", ""));
            assertThat(first).isBetween(1L, 1_000_000L);
            assertThat(second).isGreaterThan(first).isLessThanOrEqualTo(first + 1_000_000L);
        }
    }

    @Test
    void reportsAChecksumMismatchAndDeletesTheDamagedFile() throws Exception {
        try (LoopbackFileServer server = new LoopbackFileServer(FILE)) {
            String wrong = "0".repeat(64);
            DownloadRequest req = DownloadRequest.into(server.url("model.gguf"), dir, wrong);
            assertThatThrownBy(() -> downloader.download(req, DownloadListener.NONE, new CancelSignal()))
                    .isInstanceOf(ChecksumMismatchException.class)
                    .hasMessageContaining("is damaged").hasMessageContaining(SHA).hasMessageContaining("download it again");
            assertThat(dir.resolve("model.gguf")).doesNotExist();
            assertThat(dir.resolve("model.gguf.part")).doesNotExist();
        }
    }

    @Test
    void usesTheChecksumTheServerReportsWhenNoneIsGiven() throws Exception {
        try (LoopbackFileServer server = new LoopbackFileServer(FILE)) {
            server.etag = "f".repeat(64);
            DownloadRequest req = DownloadRequest.into(server.url("model.gguf"), dir, "");
            assertThatThrownBy(() -> downloader.download(req, DownloadListener.NONE, new CancelSignal()))
                    .isInstanceOf(ChecksumMismatchException.class);
            server.etag = SHA;
            assertThat(downloader.download(req, DownloadListener.NONE, new CancelSignal()).verified()).isTrue();
        }
    }

    @Test
    void cancelKeepsThePartialFileAndALaterDownloadResumesIt() throws Exception {
        try (LoopbackFileServer server = new LoopbackFileServer(FILE);
             ExecutorService pool = Executors.newSingleThreadExecutor()) {
            server.stall = new CountDownLatch(1);
            DownloadRequest req = DownloadRequest.into(server.url("model.gguf"), dir, SHA);
            CancelSignal cancel = new CancelSignal();
            CountDownLatch started = new CountDownLatch(1);
            Future<DownloadResult> f = pool.submit(() -> downloader.download(req, new DownloadListener() {
                @Override public void onProgress(long done, long total) { if (done > 0) started.countDown(); }
            }, cancel));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            cancel.cancel();
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CancellationException.class);
            server.stall.countDown();
            server.stall = null;
            long partial = Files.size(dir.resolve("model.gguf.part"));
            assertThat(partial).isPositive().isLessThan(FILE.length);

            DownloadResult r = downloader.download(req, DownloadListener.NONE, new CancelSignal());
            assertThat(r.resumed()).isTrue();
            assertThat(Files.readAllBytes(r.file())).isEqualTo(FILE);
            assertThat(server.ranges.getLast()).isEqualTo("bytes=" + partial + "-");
        }
    }

    @Test
    void aStalledConnectionIsClosedAndResumed() throws Exception {
        ModelDownloader impatient = new ModelDownloader(HttpClient.newHttpClient(), Duration.ofMillis(10), Duration.ofMillis(300));
        try (LoopbackFileServer server = new LoopbackFileServer(FILE)) {
            CountDownLatch stalled = new CountDownLatch(1);
            server.stall = stalled;
            server.stallOnce = true;
            DownloadRequest req = DownloadRequest.into(server.url("model.gguf"), dir, SHA);
            DownloadResult r = impatient.download(req, DownloadListener.NONE, new CancelSignal());
            stalled.countDown();
            assertThat(Files.readAllBytes(r.file())).isEqualTo(FILE);
            assertThat(server.ranges.getLast()).startsWith("bytes=");
        }
    }

    @Test
    void aMissingFileIsAClearMessage() throws Exception {
        try (LoopbackFileServer server = new LoopbackFileServer(FILE)) {
            server.status = 404;
            DownloadRequest req = DownloadRequest.into(server.url("model.gguf"), dir, "");
            assertThatThrownBy(() -> downloader.download(req, DownloadListener.NONE, new CancelSignal()))
                    .isInstanceOf(UserFacingException.class).hasMessageContaining("HTTP 404").hasMessageContaining("Check the link");
        }
    }

    @Test
    void onlyHttpsGgufLinksAreAccepted() {
        assertThatThrownBy(() -> DownloadRequest.parse("http://example.com/a.gguf")).hasMessageContaining("Only https");
        assertThatThrownBy(() -> DownloadRequest.parse("https://example.com/readme.md")).hasMessageContaining(".gguf");
        assertThatThrownBy(() -> DownloadRequest.parse("not a url at all")).isInstanceOf(UserFacingException.class);
        assertThat(DownloadRequest.parse("https://huggingface.co/Qwen/X-GGUF/blob/main/x.gguf").toString())
                .isEqualTo("https://huggingface.co/Qwen/X-GGUF/resolve/main/x.gguf");
        assertThat(DownloadRequest.parse("http://127.0.0.1:8080/m.gguf").getPort()).isEqualTo(8080);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
