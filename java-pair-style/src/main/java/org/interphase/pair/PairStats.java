package org.interphase.pair;

/**
 * Accumulated counters of one pair style instance (iph_stats).
 *
 * @param calls compute() calls
 * @param nodesLast nodes of the last compute's graphs incl. padding, summed over its chunks
 * @param edgesLast edges of the last compute's graphs incl. padding, summed over its chunks
 * @param bufferBytes bytes held in direct buffers by all workers
 * @param secondsBridge Java time outside OrtSession.run, summed over the worker threads
 * @param secondsOnnx time inside OrtSession.run, summed over the worker threads
 * @param heapBytesPerCall heap bytes allocated per compute() by all threads of the style,
 *        averaged over the calls after the first {@link PairOnnx#WARMUP_CALLS}
 * @param reallocations tensor re-creations after each worker's first binding (bucket changes)
 * @param chunksLast ONNX Runtime runs in the last compute()
 * @param threads worker threads
 * @param members models in the committee (1 = single model)
 * @param memberCalls compute() calls that evaluated every member (deviation steps)
 */
public record PairStats(long calls, long nodesLast, long edgesLast, long bufferBytes, double secondsBridge,
                        double secondsOnnx, long heapBytesPerCall, long reallocations, long chunksLast,
                        long threads, long members, long memberCalls) {}
