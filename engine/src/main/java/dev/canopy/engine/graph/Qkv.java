package dev.canopy.engine.graph;

import java.lang.foreign.MemorySegment;

/**
 * One layer's query, key and value heads as projected from its input, before RoPE (llama.cpp's
 * Qcur, Kcur, Vcur). Shapes ggml-style, fastest dimension first; T = tokens in the graph. All
 * borrowed from the graph's context.
 *
 * @param q Q [headDim, heads, T]
 * @param k K [headDim, kvHeads, T]
 * @param v V [headDim, kvHeads, T]
 */
record Qkv(MemorySegment q, MemorySegment k, MemorySegment v) {}
