package dev.canopy.ui.models;

import dev.canopy.app.download.LoopbackFileServer;
import dev.canopy.app.download.ModelDownloader;
import dev.canopy.app.models.CuratedModel;
import dev.canopy.app.models.ModelEntry;
import dev.canopy.app.models.ModelService;
import dev.canopy.app.settings.SettingsStore;
import dev.canopy.natives.gguf.TinyModelSpec;
import dev.canopy.natives.gguf.TinyModels;
import dev.canopy.ui.common.UiThreads;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Downloading a model in the Models view from a file server on 127.0.0.1 only: never the internet. */
class DownloadViewModelTest {
    @TempDir static Path source;
    static byte[] modelBytes;
    static String sha;
    @TempDir Path home;
    ModelsViewModel vm;
    DownloadViewModel downloads;

    @BeforeAll
    static void writeModel() throws Exception {
        modelBytes = Files.readAllBytes(TinyModels.write(TinyModelSpec.tiny("qwen2"), source.resolve("tiny.gguf")));
        sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(modelBytes));
    }

    @BeforeEach
    void setUp() {
        ModelDownloader downloader = new ModelDownloader(HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL).build(), Duration.ofMillis(10), Duration.ofSeconds(3));
        vm = new ModelsViewModel(new ModelService(new SettingsStore(home)), downloader, UiThreads.of(Runnable::run));
        downloads = vm.downloads();
    }

    static void await(BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out");
            Thread.sleep(10);
        }
    }

    void awaitIdle() throws InterruptedException {
        await(() -> !downloads.busyProperty().get() && !vm.busyProperty().get());
    }

    @Test
    void aPastedLinkDownloadsWithProgressChecksTheSha256AndListsTheModel() throws Exception {
        try (LoopbackFileServer server = new LoopbackFileServer(modelBytes)) {
            server.etag = sha; // the checksum the server reports, as Hugging Face does
            AtomicReference<Double> maxProgress = new AtomicReference<>(-1.0);
            downloads.progressProperty().addListener((o, a, b) -> maxProgress.accumulateAndGet(b.doubleValue(), Math::max));
            java.util.List<String> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
            downloads.statusProperty().addListener((o, a, b) -> statuses.add(b));

            vm.sourceProperty().set(server.url("tiny-download.gguf"));
            vm.addTyped();
            awaitIdle();

            assertThat(downloads.errorProperty().get()).isEmpty();
            assertThat(downloads.statusProperty().get()).startsWith("Downloaded tiny-download.gguf").endsWith("sha256 checked.");
            assertThat(maxProgress.get()).isGreaterThan(0.0);
            // Once the checksum is being checked, no status says "Downloading" again.
            int verifying = statuses.indexOf("Checking the sha256 checksum…");
            assertThat(verifying).isNotNegative();
            assertThat(statuses.subList(verifying, statuses.size())).noneMatch(t -> t.startsWith("Downloading"));
            Path file = vm.modelsFolder().resolve("tiny-download.gguf");
            assertThat(Files.readAllBytes(file)).isEqualTo(modelBytes);
            assertThat(vm.entries()).extracting(ModelEntry::file).containsExactly(file.toAbsolutePath().normalize());
            assertThat(vm.activeProperty().get()).isEqualTo(file.toAbsolutePath().normalize().toString());
            assertThat(vm.sourceProperty().get()).isEmpty();
        }
    }

    @Test
    void cancelKeepsThePartialFileAndStartingAgainResumesIt() throws Exception {
        try (LoopbackFileServer server = new LoopbackFileServer(modelBytes)) {
            CountDownLatch stall = new CountDownLatch(1);
            server.stall = stall; // the first answer pauses half-way
            server.stallOnce = true;
            downloads.addressProperty().set(server.url("tiny.gguf"));
            downloads.downloadTyped();
            Path part = vm.modelsFolder().resolve("tiny.gguf.part");
            await(() -> downloads.progressProperty().get() > 0);
            downloads.cancel();
            awaitIdle();

            assertThat(downloads.statusProperty().get()).startsWith("Cancelled. The partial file is kept");
            assertThat(downloads.errorProperty().get()).isEmpty();
            assertThat(part).exists();
            assertThat(vm.entries()).isEmpty();
            stall.countDown(); // let the server's abandoned answer end

            downloads.downloadTyped(); // the same address again
            awaitIdle();
            assertThat(downloads.statusProperty().get()).contains("resumed");
            // Resumed from where it stopped (a resume that stalls is retried from the same offset).
            assertThat(LoopbackFileServer.nonEmpty(server.ranges)).isNotEmpty().allMatch(r -> r.matches("bytes=[1-9]\\d*-"))
                    .containsOnly(LoopbackFileServer.nonEmpty(server.ranges).getFirst());
            assertThat(Files.readAllBytes(vm.modelsFolder().resolve("tiny.gguf"))).isEqualTo(modelBytes);
            assertThat(vm.entries()).hasSize(1);
        }
    }

    @Test
    void aCuratedModelWithTheWrongChecksumIsRejectedWithAReadableMessage() throws Exception {
        assertThat(downloads.curated()).isNotEmpty(); // the shipped list
        try (LoopbackFileServer server = new LoopbackFileServer(modelBytes)) {
            CuratedModel wrong = new CuratedModel("test", "Test model", "Qwen", server.url("curated.gguf"),
                    modelBytes.length, "0".repeat(64), "for this test");
            downloads.download(wrong);
            awaitIdle();
            assertThat(downloads.errorProperty().get()).contains("sha256").doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(vm.modelsFolder().resolve("curated.gguf")).doesNotExist();
            assertThat(vm.entries()).isEmpty();
        }
    }

    @Test
    void anAddressThatIsNotAGgufLinkIsExplainedWithoutDownloading() {
        vm.sourceProperty().set("https://huggingface.co/Qwen/some-model");
        vm.addTyped();
        assertThat(downloads.busyProperty().get()).isFalse();
        assertThat(downloads.errorProperty().get()).contains(".gguf");
        assertThat(vm.sourceProperty().get()).isEqualTo("https://huggingface.co/Qwen/some-model"); // kept to fix it
    }
}
