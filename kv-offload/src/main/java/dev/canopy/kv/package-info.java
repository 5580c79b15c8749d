/**
 * The paged KV store: GPU / CPU / disk tiers, per-chunk key abstracts, importance estimation and
 * prefetch (LeoAM style), and persistence of a conversation's KV. See docs/decisions and
 * ../shared/specs/methods.md section 3.
 */
package dev.canopy.kv;
