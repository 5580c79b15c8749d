package dev.canopy.app.settings;

/**
 * What the window remembers between runs, persisted as {@code ui-state.json}.
 *
 * @param x                  window x (NaN = let the system place it)
 * @param y                  window y
 * @param width              window width
 * @param height             window height
 * @param maximized          whether the window was maximized
 * @param section            the sidebar section last shown
 * @param lastConversationId the conversation last open, or empty
 */
public record UiState(double x, double y, double width, double height, boolean maximized, String section,
                      String lastConversationId) {

    public UiState {
        if (width < 400 || Double.isNaN(width)) width = 1180;
        if (height < 300 || Double.isNaN(height)) height = 760;
        if (section == null || section.isBlank()) section = "CHAT";
        if (lastConversationId == null) lastConversationId = "";
    }

    public static UiState defaults() {
        return new UiState(Double.NaN, Double.NaN, 1180, 760, false, "CHAT", "");
    }

    public UiState withSection(String s) {
        return new UiState(x, y, width, height, maximized, s, lastConversationId);
    }

    public UiState withLastConversation(String id) {
        return new UiState(x, y, width, height, maximized, section, id);
    }

    public UiState withBounds(double nx, double ny, double w, double h, boolean max) {
        return new UiState(nx, ny, w, h, max, section, lastConversationId);
    }
}
