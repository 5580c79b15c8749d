package dev.canopy.memory.conversation;

import dev.canopy.memory.db.RowId;
import java.util.Optional;

/** A conversation's key (its row in {@code conversations}). The text form is {@link RowId#format}. */
public record ConversationId(long value) implements RowId {

    /** {@code text} as an id, or empty when it is not one (see {@link RowId#parse}). */
    public static Optional<ConversationId> parse(String text) {
        return RowId.parse(text, ConversationId::new);
    }

    @Override
    public String toString() {
        return format();
    }
}
