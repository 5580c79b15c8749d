package dev.canopy.app.settings;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.canopy.memory.conversation.ConversationId;

import java.util.Optional;

/**
 * What the window remembers between runs, persisted as {@code ui-state.json}.
 *
 * @param x                  window x (NaN = let the system place it)
 * @param y                  window y
 * @param width              window width
 * @param height             window height
 * @param maximized          whether the window was maximized
 * @param section            the sidebar section last shown
 * @param lastConversationId the conversation last open, or null (see {@link #lastConversation}); the
 *                           file holds its text form
 */
public record UiState(double x, double y, double width, double height, boolean maximized, String section,
                      @JsonSerialize(using = ConversationIdJson.Write.class)
                      @JsonDeserialize(using = ConversationIdJson.Read.class)
                      ConversationId lastConversationId) {

    public UiState {
        if (width < 400 || Double.isNaN(width)) width = 1180;
        if (height < 300 || Double.isNaN(height)) height = 760;
        if (section == null || section.isBlank()) section = "CHAT";
    }

    public static UiState defaults() {
        return new UiState(Double.NaN, Double.NaN, 1180, 760, false, "CHAT", null);
    }

    /** The conversation last open, if one was. */
    @JsonIgnore
    public Optional<ConversationId> lastConversation() {
        return Optional.ofNullable(lastConversationId);
    }

    public UiState withSection(String s) {
        return new UiState(x, y, width, height, maximized, s, lastConversationId);
    }

    public UiState withLastConversation(ConversationId id) {
        return new UiState(x, y, width, height, maximized, section, id);
    }

    public UiState withBounds(double nx, double ny, double w, double h, boolean max) {
        return new UiState(nx, ny, w, h, max, section, lastConversationId);
    }
}
