package org.interphase.pair;

/**
 * Accumulated counters of one pair style instance (iph_stats).
 *
 * @param calls compute() calls
 * @param nodesLast nodes of the last graph incl. padding
 * @param edgesLast edges of the last graph incl. padding
 * @param bufferBytes bytes held in direct buffers
 * @param secondsBridge Java time outside OrtSession.run
 * @param secondsOnnx time inside OrtSession.run
 * @param heapBytesAllocated heap bytes allocated by the compute thread inside compute(),
 *        summed over the calls after the first {@link PairOnnx#WARMUP_CALLS}
 * @param reallocations tensor re-creations after the first binding (bucket changes)
 */
public record PairStats(long calls, long nodesLast, long edgesLast, long bufferBytes, double secondsBridge,
                        double secondsOnnx, long heapBytesAllocated, long reallocations) {}
