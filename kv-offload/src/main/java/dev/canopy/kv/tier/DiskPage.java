package dev.canopy.kv.tier;

/**
 * A page's copy in the page file, as a saved store's manifest records it: its slot, the tokens it
 * holds and the CRC32C of its abstract and of its rows.
 */
public record DiskPage(int diskSlot, int tokens, int crcAbstract, int crcData) {}
