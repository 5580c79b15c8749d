package dev.canopy.memory.forest;

/**
 * One MemTree.
 *
 * @param key            unique within the kind (session: conversation and session number; entity: its id;
 *                       scene: its topic)
 * @param rootId         null while the tree is empty
 * @param conversationId for session trees
 * @param entityId       for entity trees
 */
public record Tree(long id, TreeKind kind, String key, String label, int fanout, Long rootId,
                   Long conversationId, Long entityId) {

    /** The fewest children a non-root inner node keeps after deletions. */
    public int minFill() {
        return (fanout + 1) / 2;
    }
}
