package dev.canopy.ui.archfixture;

/**
 * A deliberate violation for {@code TypedIdsTest}: ui code that turns a conversation id's text into
 * a number itself instead of {@code ConversationId.parse}. Never used; it only proves the rule can fail.
 */
public final class ParsesAnId {
    private ParsesAnId() {}

    public static long conversation(String id) {
        return Long.parseLong(id);
    }
}
