package dev.canopy.app.memories;

/** MemForest's three kinds of tree. */
public enum TreeKind {
    /** One per conversation session; leaves are its cells. */
    SESSION,
    /** One per entity that recurs (the user always has one). */
    ENTITY,
    /** Clusters of related facts. */
    SCENE
}
