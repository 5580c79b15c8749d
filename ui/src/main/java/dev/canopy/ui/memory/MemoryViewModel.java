package dev.canopy.ui.memory;

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

import java.util.List;

/**
 * The memory browser: facts as a timeline (newest first) and the forest of trees, a fact's source
 * messages, edit, delete, forget a conversation, and memory on/off for all chats.
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

    public MemoryViewModel(MemoryService memory, SettingsStore settings) {
        this.memory = memory;
        this.settings = settings;
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
        timeline.setAll(facts);
        forest.setAll(memory.forest());
    }

    /** The fact shown with its sources (the list selects it). */
    public javafx.beans.property.ObjectProperty<MemoryFact> selectedProperty() { return selected; }

    public void select(MemoryFact f) {
        selected.set(f);
        sources.setAll(f == null ? List.of() : memory.sources(f.id()));
    }

    /** Shows the fact {@code factId} (a link from an answer's "Memories used"); says so when it was deleted since. */
    public void reveal(String factId) {
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
        if (text == null || text.isBlank()) { message.set("A memory cannot be empty."); return; }
        act(() -> memory.editFact(f.id(), text), "Memory updated.");
    }

    public void delete(MemoryFact f) {
        act(() -> memory.deleteFact(f.id()), "Memory deleted.");
        sources.clear();
    }

    public void forgetConversation(String conversationId) {
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
