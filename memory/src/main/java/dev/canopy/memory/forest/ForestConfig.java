package dev.canopy.memory.forest;

/**
 * How facts are routed into trees.
 *
 * @param entityMinFacts    an entity gets its tree once this many facts mention it...
 * @param entityMinSessions ...across at least this many sessions (the user always has one)
 */
public record ForestConfig(int sessionFanout, int entityFanout, int sceneFanout, int entityMinFacts,
                           int entityMinSessions) {

    public ForestConfig {
        if (sessionFanout < 2 || entityFanout < 2 || sceneFanout < 2) {
            throw new IllegalArgumentException("fan-out must be at least 2");
        }
    }

    /** MemForest's values: fan-out 3 / 8 / 10, entity trees from 3 facts over 2 sessions. */
    public static ForestConfig defaults() {
        return new ForestConfig(TreeKind.SESSION.defaultFanout(), TreeKind.ENTITY.defaultFanout(),
                TreeKind.SCENE.defaultFanout(), 3, 2);
    }

    public int fanout(TreeKind kind) {
        return switch (kind) {
            case SESSION -> sessionFanout;
            case ENTITY -> entityFanout;
            case SCENE -> sceneFanout;
        };
    }
}
