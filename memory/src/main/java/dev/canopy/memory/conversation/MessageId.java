package dev.canopy.memory.conversation;

import dev.canopy.memory.db.RowId;
import java.util.Optional;

/** A message's key (its row in {@code messages}). The text form is {@link RowId#format}. */
public record MessageId(long value) implements RowId {

    /** {@code text} as an id, or empty when it is not one (see {@link RowId#parse}). */
    public static Optional<MessageId> parse(String text) {
        return RowId.parse(text, MessageId::new);
    }

    @Override
    public String toString() {
        return format();
    }
}
