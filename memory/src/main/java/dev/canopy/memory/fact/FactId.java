package dev.canopy.memory.fact;

import dev.canopy.memory.db.RowId;
import java.util.Optional;

/** A fact's key (its row in {@code facts}). The text form is {@link RowId#format}. */
public record FactId(long value) implements RowId {

    /** {@code text} as an id, or empty when it is not one (see {@link RowId#parse}). */
    public static Optional<FactId> parse(String text) {
        return RowId.parse(text, FactId::new);
    }

    @Override
    public String toString() {
        return format();
    }
}
