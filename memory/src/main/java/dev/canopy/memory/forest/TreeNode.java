package dev.canopy.memory.forest;

/**
 * A node of a MemTree. Level 0 nodes are leaves holding exactly one item (a cell or a fact); inner
 * nodes (level >= 1) hold between {@link Tree#minFill()} and {@link Tree#fanout()} children (the root
 * may hold fewer). Children are ordered by their first key {@code (kTs, kId)}: the item's time and
 * id, so items said at the same moment still have a total order.
 *
 * @param tStart    earliest item time below (epoch ms)
 * @param tEnd      latest item time below
 * @param itemCount leaves below
 * @param dirty     0 when the summary is current; incremented by every change below it
 */
public record TreeNode(long id, long treeId, Long parentId, int level, Long cellId, Long factId, long kTs, long kId,
                       long tStart, long tEnd, int itemCount, int dirty, String summary, String keywords) {

    public boolean isLeaf() {
        return level == 0;
    }
}
