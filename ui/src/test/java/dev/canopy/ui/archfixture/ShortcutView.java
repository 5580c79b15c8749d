package dev.canopy.ui.archfixture;

import dev.canopy.app.chat.ChatService;

/**
 * A deliberate violation for {@code ModuleDependencyTest}: a view that calls an app service itself
 * instead of going through a view-model. Never used; it only proves the rule can fail.
 */
public final class ShortcutView {
    private final ChatService chat;

    public ShortcutView(ChatService chat) {
        this.chat = chat;
    }

    public boolean ready() {
        return chat.hasActiveModel();
    }
}
