package org.interphase.pair;

import ai.onnxruntime.OrtEnvironment;
import org.interphase.graph.Neighbors;
import org.interphase.inference.ModelContract;

/**
 * One model of a pair style, as the pair style sees it: a contract-v1 graph
 * ({@link ModelEvaluator}) or a contract-v2 model of one graph per layer ({@link LayeredEvaluator}).
 * {@link #evaluate} adds the model's forces, per-atom energies and per-atom virials into the arrays
 * a {@link Step} names and leaves the rank's energy and virial in {@link #energy} and {@link #virial}.
 */
interface Evaluator extends AutoCloseable {
    /** Opens the model at path (either contract) and maps the LAMMPS types to its species. */
    static Evaluator open(OrtEnvironment env, String path, String[] typeElements, PairSettings settings) {
        return ModelEvaluator.open(env, path, typeElements, settings);
    }

    ModelContract contract();

    /** [(ntypes+1)^2] cutoffs of this model per LAMMPS type pair, 0 where unmapped (a copy). */
    double[] typeCutoff();

    /** Centre atoms per ONNX Runtime run (0 = the whole rank; -1 = default, not resolved yet). */
    int chunk();

    int threads();

    /**
     * Adds this model's results for the rank's centre atoms into the arrays of st. A contract-v2
     * model also exchanges node features through st.exchange(), so it must be called on every rank,
     * also on ranks without atoms.
     */
    void evaluate(Neighbors nb, long ilist, int inum, long neighBuilds, Step st, ChunkThreads pool,
                  ModelEvaluator.Plans plans);

    /** The rank's energy of the last evaluate. */
    double energy();

    /** The rank's virial (xx yy zz xy xz yz) of the last evaluate. */
    double[] virial();

    /** ONNX Runtime runs in the last evaluate (per layer and stage for contract v2). */
    long chunksLast();

    /** Adds the worker counters to acc: nodes, edges, bytes, bridge ns, onnx ns, bindings. */
    void addCounters(long[] acc);

    /** Node-feature values per atom exchanged between layers (0 for contract v1). */
    default int exchangeWidth() {
        return 0;
    }

    /** Frees sessions, buffers and tensors (idempotent). */
    @Override
    void close();
}
