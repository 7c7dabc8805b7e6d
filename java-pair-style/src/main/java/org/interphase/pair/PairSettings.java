package org.interphase.pair;

import org.interphase.inference.InferenceSettings;

/**
 * The pair_style arguments as parsed by the shim (iph_settings).
 *
 * @param cuda device cuda
 * @param deviceId CUDA device (-1 = node-local rank modulo visible devices)
 * @param threads ONNX Runtime intra-op threads (0 = 1)
 * @param mpiRank world rank
 * @param mpiSize world size
 * @param nodeLocalRank rank on this node
 * @param pad pad graphs to reusable buckets
 */
public record PairSettings(boolean cuda, int deviceId, int threads, int mpiRank, int mpiSize,
                           int nodeLocalRank, boolean pad) {

    /** Single-rank CPU settings. */
    public static PairSettings cpu(boolean pad) {
        return new PairSettings(false, 0, 1, 0, 1, 0, pad);
    }

    public InferenceSettings inference() {
        return new InferenceSettings(cuda, deviceId, threads, nodeLocalRank);
    }
}
