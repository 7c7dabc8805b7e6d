package org.interphase.pair;

import org.interphase.inference.InferenceSettings;

/**
 * The settings of one {@code pair_style onnx} instance, as parsed by {@link PairKeywords}.
 *
 * @param cuda device cuda
 * @param deviceId CUDA device (-1 = node-local rank modulo visible devices)
 * @param threads worker threads per rank, each evaluating whole chunks (&ge; 1)
 * @param ortThreads ONNX Runtime intra-op threads inside each run (&ge; 1)
 * @param chunk centre atoms per ONNX Runtime run: {@link #CHUNK_AUTO} = the default for the
 *        model's hops, 0 = one run per rank
 * @param pad pad graphs to reusable buckets
 * @param mpiRank world rank
 * @param mpiSize world size
 * @param nodeLocalRank rank on this node
 * @param nodeSize ranks on this node
 */
public record PairSettings(boolean cuda, int deviceId, int threads, int ortThreads, int chunk, boolean pad,
                           int mpiRank, int mpiSize, int nodeLocalRank, int nodeSize) {

    /** chunk value meaning "the measured default for the model" (see {@link PairKeywords}). */
    public static final int CHUNK_AUTO = -1;

    public PairSettings {
        if (threads < 1 || ortThreads < 1 || chunk < CHUNK_AUTO) {
            throw new IllegalArgumentException("pair_style onnx: threads, ort_threads must be >= 1 and chunk >= 0");
        }
    }

    /** Single-rank CPU settings with one thread and the default chunking. */
    public static PairSettings cpu(boolean pad) {
        return new PairSettings(false, -1, 1, 1, CHUNK_AUTO, pad, 0, 1, 0, 1);
    }

    /** A copy with other threads and chunk size (tests and benchmarks). */
    public PairSettings withChunking(int threads, int chunk) {
        return new PairSettings(cuda, deviceId, threads, ortThreads, chunk, pad, mpiRank, mpiSize, nodeLocalRank,
                nodeSize);
    }

    /** True when chunk was not given: the default is chosen from the model ({@link PairKeywords#autoChunk}). */
    public boolean autoChunk() {
        return chunk == CHUNK_AUTO;
    }

    public InferenceSettings inference() {
        return new InferenceSettings(cuda, deviceId, ortThreads, nodeLocalRank);
    }
}
