/**
 * The paged KV store: device / host / disk tiers, per-page key abstracts, importance-bounded page
 * selection, prefetch and persistence of a conversation's KV (LeoAM style, see
 * ../shared/specs/methods.md section 3). This package is the API; the internals live in
 * {@code kv.tier} (pages and tiers), {@code kv.select} (selection) and {@code kv.persist} (the saved
 * form), see decision 0150.
 *
 * <h2>Model</h2>
 * Per layer, the tokens' K and V rows are cut into pages of {@link dev.canopy.kv.KvLayout#pageTokens}
 * tokens. Every full page is written at once to the conversation's page file (the disk tier, in the
 * cold type F16 / Q8_0 / F32, with a CRC32C), so host and device memory are caches of the pages
 * that matter now, each within its byte budget; the page being filled stays in host memory. Each
 * page has a key abstract (per-channel min and max) kept in memory and on disk; a query's bound
 * {@code sum_i max(q_i min_i, q_i max_i)} ranks pages without reading them.
 *
 * <h2>Calls, per layer</h2>
 * <pre>{@code
 * KvStore kv = KvStore.open(spec, conversationTokens).orElseGet(() -> KvStore.create(spec));
 * GatherBuffer g = kv.newGatherBuffer(maxAttendedTokens);     // engine-owned attention input
 *
 * // prefill a chunk of T tokens (after kv.tokenCount() tokens already held)
 * int p0 = kv.addTokens(ids);
 * for (layer ...) {
 *     kv.appendTensors(layer, p0, kCur, vCur);                // [kvWidth, T] F32/F16, any backend
 *     Gathered a = kv.materialize(layer, kv.allPages(layer), g); // dense for prefill
 *     // attention of the chunk's queries over g.keys()/g.values() rows [0, a.tokens()), mask from a.positions()
 * }
 *
 * // decode one token
 * int p = kv.addTokens(id);
 * for (layer ...) {
 *     kv.prefetchAhead(layer, 2);                             // next layers' likely pages, in the background
 *     kv.appendTensors(layer, p, kCur, vCur);
 *     int[] pages = kv.select(layer, qHost, budgetTokens, sinkTokens, windowTokens);
 *     Gathered a = kv.materialize(layer, pages, g);          // throws DamagedPageException: recompute, kv.repair(...)
 *     // attention over the gathered rows
 * }
 * kv.close();                                                 // saves: reopening resumes without prefill
 * }</pre>
 */
package dev.canopy.kv;
