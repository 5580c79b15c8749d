package dev.canopy.ui.chat;

import dev.canopy.app.chat.Attachments;
import dev.canopy.memory.conversation.MessageId;
import dev.canopy.memory.conversation.Role;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.Optional;

/**
 * One message as the chat shows it; an answer being written grows through {@link #append}. A user
 * message with an attached document shows its question and the document's name, not the text.
 */
public final class MessageItem {
    private final Optional<MessageId> id;   // empty for an answer being written
    private final Role role;
    private final String content;   // as stored (a user message's attached document included)
    private final StringProperty text = new SimpleStringProperty("");
    private final StringProperty footer = new SimpleStringProperty("");
    private final javafx.collections.ObservableList<MemoryRef> memories = javafx.collections.FXCollections.observableArrayList();

    public MessageItem(Optional<MessageId> id, Role role, String content, String footer) {
        this.id = id;
        this.role = role;
        this.content = content;
        this.text.set(role == Role.USER ? shown(content) : content);
        this.footer.set(footer);
    }

    /** The question, and the attached document's name on a line of its own. */
    static String shown(String content) {
        return Attachments.documentName(content)
                .map(name -> Attachments.question(content) + "\n\n\uD83D\uDCCE " + name)
                .orElse(content);
    }

    /** The message as stored (for a user message, with its attached document). */
    public String content() { return content; }

    /** The stored message's id; empty for an answer still being written. */
    public Optional<MessageId> id() { return id; }
    public Role role() { return role; }
    public ReadOnlyStringProperty textProperty() { return text; }
    public String text() { return text.get(); }
    public ReadOnlyStringProperty footerProperty() { return footer; }
    public String footer() { return footer.get(); }

    /** For an answer: the memory facts its prompt held. */
    public javafx.collections.ObservableList<MemoryRef> memories() { return memories; }

    void append(String delta) { text.set(text.get() + delta); }
    void setMemories(java.util.List<MemoryRef> used) { memories.setAll(used); }
    void setFooter(String f) { footer.set(f); }
}
