package dev.canopy.ui.documents;

import dev.canopy.app.chat.ChatService;
import dev.canopy.app.documents.Document;
import dev.canopy.app.documents.DocumentException;
import dev.canopy.app.documents.DocumentLoaders;
import dev.canopy.app.errors.UserMessages;
import dev.canopy.app.summarize.SummarizationPipeline;
import dev.canopy.app.summarize.SummarizeOptions;
import dev.canopy.app.summarize.SummaryListener;
import dev.canopy.app.summarize.SummaryProgress;
import dev.canopy.app.summarize.SummaryResult;
import dev.canopy.app.summarize.SummaryStore;
import dev.canopy.app.summarize.SummaryStyle;
import dev.canopy.app.summarize.SourceSpan;
import dev.canopy.ui.common.Labels;
import dev.canopy.ui.common.Passage;
import dev.canopy.engine.CancellationToken;
import dev.canopy.ui.common.UiThreads;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Summarize a document: pick a file and a style, run with progress and cancel (finished parts are
 * stored, so running again resumes), see the Markdown with its page citations, export it.
 */
public final class DocumentsViewModel {
    private final ChatService chat;                 // app service: owns the loaded model
    private final Supplier<SummaryStore> store;     // opened on first use, owned by the caller
    private final UiThreads threads;
    private final ObjectProperty<Path> file = new SimpleObjectProperty<>();
    private final ObjectProperty<SummaryStyle> style = new SimpleObjectProperty<>(SummaryStyle.BRIEF);
    private final StringProperty instruction = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty status = new SimpleStringProperty("");
    private final StringProperty result = new SimpleStringProperty("");
    private volatile CancellationToken running;
    private final ObjectProperty<Passage> passage = new SimpleObjectProperty<>();
    private Path source;          // the document the shown summary cites
    private String sourceHash;    // its content hash when summarized ("" when unknown)
    private final javafx.collections.ObservableList<PastSummary> history = javafx.collections.FXCollections.observableArrayList();
    private dev.canopy.ui.common.Notices notices = new dev.canopy.ui.common.Notices();

    /**
     * A finished summary kept in the database, for the list of earlier summaries.
     *
     * @param title    the document's title
     * @param style    the summary's style, in words
     * @param when     when it was written
     * @param markdown the summary with its citations
     * @param source       the document's file (where its citations are looked up)
     * @param documentHash the document's content hash when it was summarized
     */
    public record PastSummary(String title, String style, java.time.Instant when, String markdown, Path source,
                              String documentHash) {}

    public DocumentsViewModel(ChatService chat, Supplier<SummaryStore> store, UiThreads threads) {
        this.chat = chat;
        this.store = store;
        this.threads = threads;
    }

    public ObjectProperty<Path> fileProperty() { return file; }
    public ObjectProperty<SummaryStyle> styleProperty() { return style; }
    public StringProperty instructionProperty() { return instruction; }
    public BooleanProperty busyProperty() { return busy; }
    public DoubleProperty progressProperty() { return progress; }
    public StringProperty statusProperty() { return status; }
    /** The summary as Markdown, with citations. */
    public StringProperty resultProperty() { return result; }
    /** The passage the last clicked citation points at, or null. */
    public ObjectProperty<Passage> passageProperty() { return passage; }

    /**
     * Shows the part of the summarized document that {@code span} names (a citation was clicked).
     * Reads the document in the background; says so when the file is gone or changed since.
     */
    public void openCitation(SourceSpan span) {
        Path file = source;
        String hash = sourceHash;
        if (file == null) { status.set("This summary does not say which file it came from."); return; }
        threads.inBackground(() -> {
            try {
                Passage p = Passage.read(file, span, Optional.ofNullable(hash));
                threads.onUi(() -> passage.set(p));
            } catch (DocumentException e) {
                threads.onUi(() -> status.set("Cannot show the passage: " + e.getMessage()));
            } catch (RuntimeException e) {
                threads.onUi(() -> status.set(UserMessages.describe("document", e).text()));
            }
        });
    }

    /** Summaries written earlier, newest first (see {@link #loadHistory}). */
    public javafx.collections.ObservableList<PastSummary> history() { return history; }
    /** Where a finished summary is announced. */
    public void setNotices(dev.canopy.ui.common.Notices n) { this.notices = n; }

    /** Reads the earlier summaries in the background. */
    public void loadHistory() {
        threads.inBackground(() -> {
            try {
                SummaryStore st = store.get();
                java.util.List<PastSummary> past = new java.util.ArrayList<>();
                for (var d : st.documents()) {
                    for (var r : st.results(d.contentHash())) {
                        past.add(new PastSummary(d.title().isBlank() ? Path.of(d.sourcePath()).getFileName().toString() : d.title(),
                                Labels.sentence(r.style().label()), r.createdAt(), r.markdown(), Path.of(d.sourcePath()),
                                d.contentHash()));
                    }
                }
                past.sort(java.util.Comparator.comparing(PastSummary::when).reversed());
                threads.onUi(() -> history.setAll(past));
            } catch (RuntimeException e) {
                threads.onUi(() -> status.set(UserMessages.describe("summaries", e).text()));
            }
        });
    }

    /** Shows an earlier summary. */
    public void show(PastSummary p) {
        if (p == null || busy.get()) return;
        result.set(p.markdown());
        source = p.source();
        sourceHash = p.documentHash();
        passage.set(null);
        progress.set(0);
        status.set("\"" + p.title() + "\", " + p.style().toLowerCase(java.util.Locale.ROOT) + ", written "
                + java.time.format.DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm").withZone(java.time.ZoneId.systemDefault()).format(p.when()) + ".");
    }

    /** "Part 4 of 12 · 35 tok/s · about 2 min left": progress per piece with an estimate of the time left. */
    static String progressText(SummaryProgress p) {
        String what = switch (p.phase()) {
            case CHUNKING -> "Splitting the document into parts";
            case SUMMARIZING_CHUNKS -> "Part " + Math.min(p.chunksDone() + 1, p.chunksTotal()) + " of " + p.chunksTotal();
            case MERGING -> "Merging the parts' summaries (level " + p.level() + ": " + p.done() + " of " + p.total() + ")";
            case WRITING_FINAL -> "Writing the final summary";
            case DONE -> "Done";
            case CANCELLED -> "Cancelled";
        };
        String speed = p.tokensPerSecond() > 0 ? String.format(java.util.Locale.ROOT, " · %.0f tok/s", p.tokensPerSecond()) : "";
        double f = p.chunkFraction();
        String left = "";
        if (p.phase() == dev.canopy.app.summarize.SummaryPhase.SUMMARIZING_CHUNKS && f > 0 && f < 1) {
            long secs = Math.round(p.elapsed().toSeconds() * (1 - f) / f);
            left = secs < 60 ? " · less than a minute left" : " · about " + Math.round(secs / 60.0) + " min left";
        }
        return what + speed + left;
    }

    public void summarize() {
        Path f = file.get();
        if (f == null || busy.get()) { if (f == null) status.set("Choose a document first (PDF, Word, HTML, Markdown or text)."); return; }
        SummaryStyle s = style.get();
        String instr = instruction.get() == null ? "" : instruction.get().strip();
        if (s == SummaryStyle.CUSTOM && instr.isEmpty()) { status.set("Write your instruction for a custom summary."); return; }
        CancellationToken cancel = new CancellationToken();
        running = cancel;
        busy.set(true);
        progress.set(0);
        result.set("");
        passage.set(null);
        status.set("Reading " + f.getFileName() + "…");
        threads.inBackground(() -> {
            try {
                Document doc = DocumentLoaders.load(f);
                SummarizeOptions o = SummarizeOptions.defaults().withStyle(s, s == SummaryStyle.CUSTOM ? instr : null);
                SummaryResult r = chat.withActiveModel(model -> new SummarizationPipeline(model, store.get(), o).run(doc,
                        new SummaryListener() {
                            @Override public void onProgress(SummaryProgress p) {
                                threads.onUi(() -> { progress.set(p.chunkFraction()); status.set(progressText(p)); });
                            }
                        }, cancel));
                threads.onUi(() -> {
                    if (r.completed()) {
                        result.set(r.markdown());
                        source = f;
                        sourceHash = doc.contentHash();
                        status.set("Done: " + r.stats().chunks() + " parts, " + r.stats().levels() + " merge levels, "
                                + r.stats().reused() + " reused from an earlier run.");
                        progress.set(1);
                        notices.post("Summary ready", "The summary of " + f.getFileName() + " is ready.");
                        loadHistory();
                    } else {
                        status.set("Cancelled. " + r.chunkSummaries().size() + " finished parts are saved; Summarize again to resume.");
                    }
                    finish();
                });
            } catch (DocumentException e) {
                threads.onUi(() -> { status.set(e.getMessage()); finish(); });
            } catch (RuntimeException e) {
                threads.onUi(() -> { status.set(UserMessages.describe("document", e).text()); finish(); });
            }
        });
    }

    public void cancel() {
        CancellationToken t = running;
        if (t != null) t.cancel();
    }

    /** Writes the summary to {@code target}; returns an error message when it could not. */
    public Optional<String> export(Path target) {
        if (result.get().isBlank()) return Optional.of("There is no summary to export yet.");
        try {
            Files.writeString(target, result.get());
            status.set("Exported to " + target);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("Could not write " + target + ": " + e.getMessage());
        }
    }

    private void finish() {
        running = null;
        busy.set(false);
    }
}
