package dev.canopy.ui.chat;

import dev.canopy.app.chat.ChatService;
import dev.canopy.app.chat.Conversation;
import dev.canopy.app.chat.SamplingPreset;
import dev.canopy.app.errors.UserMessages;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.List;
import java.util.function.Consumer;

/**
 * The open conversation's own settings: its system prompt (instructions the model gets before the
 * messages) and its sampling preset. Edits are kept here until {@link #save}; choosing a preset
 * saves at once.
 */
public final class ConversationSettingsViewModel {
    private final ChatService chat; // app service
    private final Consumer<Conversation> saved;
    private final StringProperty systemPrompt = new SimpleStringProperty("");
    private final ObjectProperty<SamplingPreset> preset = new SimpleObjectProperty<>(SamplingPreset.BALANCED);
    private final BooleanProperty available = new SimpleBooleanProperty(false);
    private final BooleanProperty changed = new SimpleBooleanProperty(false);
    private final StringProperty message = new SimpleStringProperty("");
    private Conversation shown;
    private boolean loading;

    ConversationSettingsViewModel(ChatService chat, Consumer<Conversation> saved) {
        this.chat = chat;
        this.saved = saved;
        systemPrompt.addListener((o, a, b) -> { if (!loading) changed.set(true); });
        preset.addListener((o, a, b) -> { if (!loading && b != null) save(); });
    }

    public StringProperty systemPromptProperty() { return systemPrompt; }
    public ObjectProperty<SamplingPreset> presetProperty() { return preset; }
    /** Whether a conversation is open (the settings apply to it). */
    public BooleanProperty availableProperty() { return available; }
    /** Whether the system prompt was edited and not saved yet. */
    public BooleanProperty changedProperty() { return changed; }
    public StringProperty messageProperty() { return message; }
    public List<SamplingPreset> presets() { return List.of(SamplingPreset.values()); }

    /** Shows {@code c}'s settings (null: no conversation open). */
    void show(Conversation c) {
        loading = true;
        shown = c;
        systemPrompt.set(c == null ? "" : c.systemPrompt());
        preset.set(c == null ? SamplingPreset.BALANCED : c.preset());
        available.set(c != null);
        changed.set(false);
        message.set("");
        loading = false;
    }

    /** Stores the system prompt and preset with the conversation; the next answer uses them. */
    public void save() {
        if (shown == null) return;
        try {
            Conversation latest = chat.conversations().find(shown.id()).orElse(shown);
            String prompt = systemPrompt.get() == null ? "" : systemPrompt.get().strip();
            Conversation updated = latest.withSettings(prompt, preset.get());
            chat.conversations().save(updated);
            shown = updated;
            changed.set(false);
            message.set("Saved. The next answer follows these settings.");
            saved.accept(updated);
        } catch (RuntimeException e) {
            message.set(UserMessages.describe("conversation settings", e).text());
        }
    }

    /** Drops unsaved edits. */
    public void revert() {
        show(shown);
    }
}
