package dev.canopy.kv.select;

import dev.canopy.kv.PageAbstract;

/**
 * What selection reads of one layer's pages: how many tokens each holds and its key abstract.
 * Pages are full ({@link #pageTokens()} tokens) except the last one while it is being filled.
 */
public interface LayerPages {
    /** Tokens the layer holds. */
    int tokens();

    /** Tokens of a full page. */
    int pageTokens();

    int pageCount();

    /** Tokens page {@code page} holds. */
    int tokensOf(int page);

    /** The key abstract of page {@code page}. */
    PageAbstract abstractOf(int page);
}
