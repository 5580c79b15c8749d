package dev.canopy.memory.db;

import java.util.Optional;
import java.util.function.LongFunction;

/**
 * A typed key of a row (a conversation, a message, a fact): the table's INTEGER id, which
 * {@link Sql} binds as a number. Its text form, where an id travels as a string (settings files,
 * file names, the user's input), is the decimal number; {@link #parse} and {@link #format} are the
 * only places that convert.
 */
public interface RowId {

    /** The row's INTEGER id. */
    long value();

    /** The decimal text form. */
    default String format() {
        return Long.toString(value());
    }

    /** {@code text} as an id made by {@code make}, or empty when it is not a decimal number. */
    static <T extends RowId> Optional<T> parse(String text, LongFunction<T> make) {
        if (text == null) return Optional.empty();
        try {
            return Optional.of(make.apply(Long.parseLong(text)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
