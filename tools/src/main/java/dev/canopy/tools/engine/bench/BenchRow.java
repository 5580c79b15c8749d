package dev.canopy.tools.engine.bench;

/**
 * One engine's figures at one prompt length.
 *
 * @param engine        "canopy" or "llama.cpp"
 * @param promptTokens  tokens prefilled
 * @param prefillPerSec prefill throughput, tokens per second
 * @param genTokens     tokens decoded one at a time after the prompt
 * @param decodePerSec  decode throughput, tokens per second
 * @param prefillPerCpuSec prefill tokens per second of the calling thread's CPU time (the whole
 *                         work with one thread; a part of it with more)
 * @param decodePerCpuSec  decode tokens per second of the calling thread's CPU time
 * @param computeBytes  the engine's compute buffer for the prefill chunk (its peak working memory
 *                      besides weights and KV, which both engines size alike); 0 when unknown
 */
public record BenchRow(String engine, int promptTokens, double prefillPerSec, int genTokens, double decodePerSec,
                       double prefillPerCpuSec, double decodePerCpuSec, long computeBytes) {
}
