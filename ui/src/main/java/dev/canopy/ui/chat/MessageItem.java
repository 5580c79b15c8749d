package dev.canopy.ui.chat;

import dev.canopy.app.chat.Role;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One message as the chat shows it; an answer being written grows through {@link #append}. */
public final class MessageItem {
    private final String id;
    private final Role role;
    private final StringProperty text = new SimpleStringProperty("");
    private final StringProperty footer = new SimpleStringProperty("");

    public MessageItem(String id, Role role, String text, String footer) {
        this.id = id;
        this.role = role;
        this.text.set(text);
        this.footer.set(footer);
    }

    public String id() { return id; }
    public Role role() { return role; }
    public ReadOnlyStringProperty textProperty() { return text; }
    public String text() { return text.get(); }
    public ReadOnlyStringProperty footerProperty() { return footer; }
    public String footer() { return footer.get(); }

    void append(String delta) { text.set(text.get() + delta); }
    void setFooter(String f) { footer.set(f); }
}
