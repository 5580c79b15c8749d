package dev.canopy.memory.forest;

/** The three kinds of MemTree, with the fan-out MemForest uses for each. */
public enum TreeKind {
    /** One per conversation session; leaves are cells. */
    SESSION(3),
    /** One per entity mentioned often enough (and always one for the user); leaves are facts. */
    ENTITY(8),
    /** Online clusters of related facts (by topic); leaves are facts. */
    SCENE(10);

    private final int fanout;

    TreeKind(int fanout) {
        this.fanout = fanout;
    }

    public int defaultFanout() {
        return fanout;
    }
}
