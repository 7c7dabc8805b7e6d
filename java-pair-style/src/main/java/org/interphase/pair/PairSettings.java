package org.interphase.pair;

import org.interphase.inference.InferenceSettings;

/**
 * The settings of one {@code pair_style onnx} instance, as parsed by {@link PairKeywords}.
 *
 * @param cuda device cuda
 * @param deviceId CUDA device (-1 = node-local rank modulo visible devices)
 * @param threads worker threads per rank, each evaluating whole chunks (&ge; 1)
 * @param chunk centre atoms per ONNX Runtime run: {@link #CHUNK_AUTO} = the default for the
 *        model's hops, 0 = one run per rank
 * @param pad pad graphs to reusable buckets
 * @param fold on one MPI rank, fold periodic images onto their atoms for message-passing models
 *        (no hops x r_max ghost shell); no = the ghost-shell path
 * @param mpiRank world rank
 * @param mpiSize world size
 * @param nodeLocalRank rank on this node
 * @param nodeSize ranks on this node
 * @param deviation the committee's deviation output (used when pair_coeff gives several models)
 */
public record PairSettings(boolean cuda, int deviceId, int threads, int chunk, boolean pad,
                           boolean fold, int mpiRank, int mpiSize, int nodeLocalRank, int nodeSize, Deviation deviation) {

    /**
     * The model-deviation keywords, with DeePMD-kit's names and meaning ({@link PairKeywords}).
     *
     * @param outFreq a row of the deviation file every outFreq steps (&ge; 1)
     * @param outFile the deviation file
     * @param atomic each row also holds the per-atom force deviations, by atom ID
     * @param relative force deviations divided by |&lt;F_i&gt;| + relative (eV/A); NaN = absolute
     * @param relativeV virial deviations divided by |&lt;W_ab&gt;|/N + relativeV (eV); NaN = absolute
     * @param given the keywords that were given (for the single-model warning)
     */
    public record Deviation(int outFreq, String outFile, boolean atomic, double relative, double relativeV,
                            java.util.List<String> given) {
        public Deviation {
            given = java.util.List.copyOf(given);
        }

        /** DeePMD-kit's defaults: every 100 steps to model_devi.out, absolute, no per-atom columns. */
        public static Deviation defaults() {
            return new Deviation(PairKeywords.DEFAULT_OUT_FREQ, PairKeywords.DEFAULT_OUT_FILE, false, Double.NaN,
                    Double.NaN, java.util.List.of());
        }
    }

    /** chunk value meaning "the measured default for the model" (see {@link PairKeywords}). */
    public static final int CHUNK_AUTO = -1;

    public PairSettings {
        if (threads < 1 || chunk < CHUNK_AUTO) {
            throw new IllegalArgumentException("pair_style onnx: threads must be >= 1 and chunk >= 0");
        }
    }

    /** Single-rank CPU settings with one thread and the default chunking. */
    public static PairSettings cpu(boolean pad) {
        return new PairSettings(false, -1, 1, CHUNK_AUTO, pad, true, 0, 1, 0, 1, Deviation.defaults());
    }

    /** A copy with other threads and chunk size (tests and benchmarks). */
    public PairSettings withChunking(int threads, int chunk) {
        return new PairSettings(cuda, deviceId, threads, chunk, pad, fold, mpiRank, mpiSize, nodeLocalRank,
                nodeSize, deviation);
    }

    /** True when chunk was not given: the default is chosen from the model ({@link PairKeywords#autoChunk}). */
    public boolean autoChunk() {
        return chunk == CHUNK_AUTO;
    }

    public InferenceSettings inference() {
        return new InferenceSettings(cuda, deviceId, nodeLocalRank);
    }
}
