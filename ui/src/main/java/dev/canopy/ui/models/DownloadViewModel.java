package dev.canopy.ui.models;

import dev.canopy.app.download.CancelSignal;
import dev.canopy.app.download.DownloadListener;
import dev.canopy.app.download.DownloadPhase;
import dev.canopy.app.download.DownloadRequest;
import dev.canopy.app.download.DownloadResult;
import dev.canopy.app.download.ModelDownloader;
import dev.canopy.app.errors.UserMessages;
import dev.canopy.app.models.CuratedModel;
import dev.canopy.app.models.CuratedModels;
import dev.canopy.ui.common.UiThreads;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Downloading a model: from a pasted (Hugging Face) address or the curated list, into the models
 * folder, with progress, cancel (the partial file stays) and resume (starting the same download
 * again continues it), and the sha256 check. A finished file is handed to {@code onDownloaded}.
 */
public final class DownloadViewModel {
    private final ModelDownloader downloader; // app service
    private final Path folder;
    private final UiThreads threads;
    private final Consumer<Path> onDownloaded;
    private final ObservableList<CuratedModel> curated = FXCollections.observableArrayList();
    private final StringProperty address = new SimpleStringProperty("");
    private final DoubleProperty progress = new SimpleDoubleProperty(-1);
    private final StringProperty status = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private volatile CancelSignal running;
    private dev.canopy.ui.common.Notices notices = new dev.canopy.ui.common.Notices();

    public DownloadViewModel(ModelDownloader downloader, Path folder, UiThreads threads, Consumer<Path> onDownloaded) {
        this.downloader = downloader;
        this.folder = folder;
        this.threads = threads;
        this.onDownloaded = onDownloaded;
        curated.setAll(CuratedModels.list());
    }

    public ObservableList<CuratedModel> curated() { return curated; }
    /** Where a finished download is announced. */
    public void setNotices(dev.canopy.ui.common.Notices n) { this.notices = n; }
    /** The typed web address. */
    public StringProperty addressProperty() { return address; }
    /** 0..1 while the size is known, -1 otherwise. */
    public DoubleProperty progressProperty() { return progress; }
    public StringProperty statusProperty() { return status; }
    public StringProperty errorProperty() { return error; }
    public BooleanProperty busyProperty() { return busy; }

    /** Whether {@code text} looks like a web address rather than a file path. */
    public static boolean isAddress(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return t.startsWith("https://") || t.startsWith("http://");
    }

    /** Downloads the typed address (the server's checksum, when it reports one, is checked). */
    public void downloadTyped() {
        start(address.get(), "");
    }

    /** Downloads a curated model (checked against its listed checksum). */
    public void download(CuratedModel m) {
        if (m != null) start(m.url(), m.sha256());
    }

    /** Stops the download; the partial file is kept so that starting it again resumes. */
    public void cancel() {
        CancelSignal c = running;
        if (c != null) c.cancel();
    }

    private void start(String where, String sha256) {
        if (busy.get()) return;
        error.set("");
        DownloadRequest request;
        try {
            request = DownloadRequest.into(where, folder, sha256);
        } catch (RuntimeException e) {
            error.set(UserMessages.describe("download", e).text());
            return;
        }
        CancelSignal cancel = new CancelSignal();
        running = cancel;
        busy.set(true);
        progress.set(-1);
        status.set("Connecting…");
        String name = request.target().getFileName().toString();
        threads.inBackground(() -> {
            try {
                DownloadResult r = downloader.download(request, listener(name), cancel);
                threads.onUi(() -> {
                    status.set("Downloaded " + name + " (" + ModelsViewModel.size(r.bytes()) + ")"
                            + (r.resumed() ? ", resumed" : "") + (r.verified() ? ", sha256 checked." : ", no checksum to check."));
                    address.set("");
                    onDownloaded.accept(r.file()); // before done(): the import is under way when busy clears
                    notices.post("Download finished", name + " (" + ModelsViewModel.size(r.bytes()) + ") is ready to chat.");
                    done();
                });
            } catch (CancellationException | InterruptedException e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                threads.onUi(() -> {
                    status.set("Cancelled. The partial file is kept: start the same download again to resume.");
                    done();
                });
            } catch (RuntimeException | java.io.IOException e) {
                threads.onUi(() -> {
                    status.set("");
                    error.set(UserMessages.describe("download", e).text());
                    done();
                });
            }
        });
    }

    private DownloadListener listener(String name) {
        return new DownloadListener() {
            // The newest progress, applied once per batch of queued updates: none is lost, the UI is not flooded.
            private final AtomicReference<long[]> latest = new AtomicReference<>();
            private volatile boolean verifying; // the checksum pass reports its progress too

            @Override public void onProgress(long done, long total) {
                if (latest.getAndSet(new long[] {done, total}) != null) return;
                threads.onUi(() -> {
                    long[] p = latest.getAndSet(null);
                    progress.set(p[1] > 0 ? (double) p[0] / p[1] : -1);
                    status.set((verifying ? "Checking the sha256 checksum: " : "Downloading " + name + ": ") + ModelsViewModel.size(p[0])
                            + (p[1] > 0 ? " of " + ModelsViewModel.size(p[1]) : ""));
                });
            }

            @Override public void onPhase(DownloadPhase phase, String detail) {
                verifying = phase == DownloadPhase.VERIFYING;
                String text = switch (phase) {
                    case CONNECTING -> "Connecting…";
                    case DOWNLOADING -> "Downloading " + name + "…";
                    case RETRYING -> "The connection dropped; resuming…";
                    case VERIFYING -> "Checking the sha256 checksum…";
                    case DONE -> "Done.";
                };
                threads.onUi(() -> status.set(text));
            }
        };
    }

    private void done() {
        running = null;
        busy.set(false);
        progress.set(-1);
    }
}
