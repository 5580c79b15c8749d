package dev.canopy.memory.forest;

/** What a leaf holds. */
public record ItemRef(Kind kind, long id) {

    /** Leaf item kinds. */
    public enum Kind {
        CELL, FACT
    }

    public static ItemRef cell(long id) {
        return new ItemRef(Kind.CELL, id);
    }

    public static ItemRef fact(long id) {
        return new ItemRef(Kind.FACT, id);
    }
}
