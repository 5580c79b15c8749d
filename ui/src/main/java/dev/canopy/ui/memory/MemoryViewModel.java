package dev.canopy.ui.memory;

import dev.canopy.memory.conversation.ConversationId;
import dev.canopy.memory.fact.FactId;
import dev.canopy.app.errors.UserMessages;
import dev.canopy.app.memories.MemoryFact;
import dev.canopy.app.memories.MemoryService;
import dev.canopy.app.memories.MemoryTree;
import dev.canopy.app.memories.SourceMessage;
import dev.canopy.app.settings.SettingsStore;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import dev.canopy.ui.common.Notices;
import javafx.beans.property.ReadOnlyBooleanProperty;

import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The memory browser: facts as a timeline (newest first) and the forest of trees, a fact's source
 * messages, edit, delete (with Undo for a few seconds), forget a conversation, and memory on/off for
 * all chats.
 */
public final class MemoryViewModel {
    private final MemoryService memory;   // app service
    private final SettingsStore settings; // app service
    private final ObservableList<MemoryFact> timeline = FXCollections.observableArrayList();
    private final ObservableList<MemoryTree> forest = FXCollections.observableArrayList();
    private final ObservableList<SourceMessage> sources = FXCollections.observableArrayList();
    private final StringProperty filter = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty enabled = new SimpleBooleanProperty(true);
    private final javafx.beans.property.ObjectProperty<MemoryFact> selected = new javafx.beans.property.SimpleObjectProperty<>();

    /** How long a deleted memory can be brought back with Undo. */
    public static final Duration UNDO_FOR = Duration.ofSeconds(8);

    /** A deleted memory that Undo can still bring back: it leaves the database when its time is up. */
    private record PendingDelete(MemoryFact fact, long token) {}

    private final BiConsumer<Duration, Runnable> later;   // runs a task on the UI thread after a delay
    private final BooleanProperty canUndo = new SimpleBooleanProperty(false);
    private Notices notices = new Notices();
    private PendingDelete pending;
    private long deletes;

    /** Without a timer: a deleted memory leaves the database at the next delete, forget or {@link #commitPendingDelete}. */
    public MemoryViewModel(MemoryService memory, SettingsStore settings) {
        this(memory, settings, (d, r) -> {});
    }

    /** {@code later} runs a task on the UI thread after a delay (the desktop uses a JavaFX timer). */
    public MemoryViewModel(MemoryService memory, SettingsStore settings, BiConsumer<Duration, Runnable> later) {
        this.memory = memory;
        this.settings = settings;
        this.later = later;
        enabled.set(settings.settings().memoryEnabled());
        enabled.addListener((o, a, b) -> settings.save(settings.settings().withMemoryEnabled(b)));
        filter.addListener((o, a, b) -> refresh());
        refresh();
    }

    public ObservableList<MemoryFact> timeline() { return timeline; }
    public ObservableList<MemoryTree> forest() { return forest; }
    public ObservableList<SourceMessage> sources() { return sources; }
    public StringProperty filterProperty() { return filter; }
    /** What the last action did, or why it failed, in words. */
    public StringProperty messageProperty() { return message; }
    public BooleanProperty enabledProperty() { return enabled; }
    public String description() { return memory.description(); }

    public void refresh() {
        String q = filter.get() == null ? "" : filter.get().strip();
        List<MemoryFact> facts = q.isEmpty() ? memory.timeline() : memory.recall(q, 200);
        FactId gone = pending == null ? null : pending.fact().id();
        timeline.setAll(gone == null ? facts : facts.stream().filter(f -> !f.id().equals(gone)).toList());
        forest.setAll(memory.forest());
    }

    /** The fact shown with its sources (the list selects it). */
    public javafx.beans.property.ObjectProperty<MemoryFact> selectedProperty() { return selected; }

    public void select(MemoryFact f) {
        selected.set(f);
        sources.setAll(f == null ? List.of() : memory.sources(f.id()));
    }

    /** Shows the fact {@code factId} (a link from an answer's "Memories used"); says so when it was deleted since. */
    public void reveal(FactId factId) {
        filter.set("");
        refresh();
        timeline.stream().filter(f -> f.id().equals(factId)).findFirst().ifPresentOrElse(f -> {
            select(f);
            message.set("");
        }, () -> {
            select(null);
            message.set("That memory was edited away or deleted since the answer used it.");
        });
    }

    public void edit(MemoryFact f, String text) {
        commitPendingDelete();
        if (text == null || text.isBlank()) { message.set("A memory cannot be empty."); return; }
        act(() -> memory.editFact(f.id(), text), "Memory updated.");
    }

    /** Where a deletion is announced with its Undo button (the window shows notifications). */
    public void setNotices(Notices n) { this.notices = n; }

    /** Whether the memory deleted last can still be brought back. */
    public ReadOnlyBooleanProperty canUndoProperty() { return canUndo; }

    /**
     * Deletes {@code f}: it leaves the list at once and the database after {@link #UNDO_FOR}, unless
     * {@link #undoDelete} brings it back first.
     */
    public void delete(MemoryFact f) {
        if (f == null) return;
        commitPendingDelete();
        long token = ++deletes;
        pending = new PendingDelete(f, token);
        canUndo.set(true);
        message.set("Memory deleted.");
        select(null);
        refresh();
        notices.post("Memory deleted", shortText(f.text()), new Notices.Action("Undo", this::undoDelete));
        later.accept(UNDO_FOR, () -> { if (pending != null && pending.token() == token) commitPendingDelete(); });
    }

    /** Brings back the memory deleted last, if its time is not up. */
    public void undoDelete() {
        PendingDelete p = pending;
        if (p == null) return;
        pending = null;
        canUndo.set(false);
        message.set("Memory restored.");
        refresh();
        timeline.stream().filter(f -> f.id().equals(p.fact().id())).findFirst().ifPresent(this::select);
    }

    /** Deletes for good the memory deleted last (its time is up, another is deleted, or the window closes). */
    public void commitPendingDelete() {
        PendingDelete p = pending;
        if (p == null) return;
        pending = null;
        canUndo.set(false);
        try {
            memory.deleteFact(p.fact().id());
        } catch (RuntimeException e) {
            message.set(UserMessages.describe("memory", e).text());
            refresh();
        }
    }

    private static String shortText(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return "\u201C" + (one.length() > 80 ? one.substring(0, 79) + "…" : one) + "\u201D";
    }

    public void forgetConversation(ConversationId conversationId) {
        commitPendingDelete();
        try {
            int n = memory.forgetConversation(conversationId);
            message.set("Forgot the conversation and " + n + " memories learned from it.");
        } catch (RuntimeException e) {
            message.set(UserMessages.describe("memory", e).text());
        }
        sources.clear();
        refresh();
    }

    private void act(Runnable r, String done) {
        try {
            r.run();
            message.set(done);
        } catch (RuntimeException e) {
            message.set(UserMessages.describe("memory", e).text());
        }
        refresh();
    }
}
