package dev.canopy.memory.fact;

import java.util.Locale;

/** What kind of memory a fact is (the extraction prompt's "role"). */
public enum FactRole {
    EVENT, STATE, PREFERENCE, CONSTRAINT, PLAN, DETAIL, REFERENCE;

    /** Lenient parse: unknown or missing values are DETAIL. */
    public static FactRole parse(String value) {
        if (value == null) {
            return DETAIL;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return DETAIL;
        }
    }
}
