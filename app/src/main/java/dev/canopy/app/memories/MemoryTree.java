package dev.canopy.app.memories;

import dev.canopy.memory.forest.TreeKind;
/**
 * One tree of the memory forest.
 *
 * @param id    stable key
 * @param kind  session, entity or scene
 * @param title e.g. the conversation's title, the entity's name
 * @param root  its root node
 */
public record MemoryTree(String id, TreeKind kind, String title, MemoryNode root) {}
