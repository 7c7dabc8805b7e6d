package org.interphase.pair;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Path;
import org.interphase.graph.ChunkPlan;
import org.interphase.graph.GraphBuilder;
import org.interphase.graph.Neighbors;
import org.interphase.inference.LayeredModel;
import org.interphase.inference.ModelContract;
import org.interphase.inference.OnnxPotential;

/**
 * One model of a pair style: its ONNX Runtime session, its LAMMPS-type to species map and
 * cutoffs, its chunk plan and one {@link ChunkWorker} per thread. {@link #evaluate} adds the
 * model's forces, per-atom energies and per-atom virials into the arrays a {@link Step} names
 * and returns the rank's energy and virial. A committee is several of these sharing the
 * worker threads ({@link ChunkThreads}) and, for equal chunk sizes, the chunk plans (so equal
 * models give bitwise equal sums); each model sees only its own edges (its cutoffs).
 */
final class ModelEvaluator implements Evaluator {
    private final OnnxPotential potential;
    private final int[] speciesOfType;
    private final double[] typeCutoff;
    private final ChunkWorker[] workers;
    private int chunk;
    long chunksLast;

    /** Rank energy and virial (xx yy zz xy xz yz) of the last {@link #evaluate}. */
    double energy;
    final double[] virial = new double[6];

    private ModelEvaluator(OnnxPotential potential, int[] speciesOfType, double[] typeCutoff, PairSettings settings) {
        this.potential = potential;
        this.speciesOfType = speciesOfType;
        this.typeCutoff = typeCutoff;
        ModelContract c = potential.contract();
        double[] cutsq = squared(typeCutoff);
        this.chunk = settings.autoChunk() ? -1 : settings.chunk(); // auto: resolved at the first compute
        this.workers = new ChunkWorker[settings.threads()];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new ChunkWorker(w, new GraphBuilder(c.precision(), c.hasMask(), settings.pad(), c.rMax(),
                    c.hops(), speciesOfType, cutsq), potential.binding());
        }
    }

    /**
     * Opens a model and maps the LAMMPS types to its species.
     *
     * @param typeElements [ntypes+1]; [0] unused; null = type not handled by this pair style
     * @throws IllegalArgumentException when an element is not in the model
     */
    static Evaluator open(OrtEnvironment env, String modelPath, String[] typeElements, PairSettings settings) {
        OnnxPotential next = OnnxPotential.open(env, Path.of(modelPath), settings.inference());
        try {
            ModelContract c = next.contract();
            if (c.layers() != null) {
                // contract v2: the manifest is the embedding; the layer graphs sit next to it
                int[] map = speciesMap(c, typeElements);
                return new LayeredEvaluator(LayeredModel.open(next, Path.of(modelPath), settings.inference()), map,
                        cutoffs(c, map), settings);
            }
            int[] map = speciesMap(c, typeElements);
            double[] cut = cutoffs(c, map);
            return new ModelEvaluator(next, map, cut, settings);
        } catch (RuntimeException | Error e) {
            next.close();
            throw e;
        }
    }

    /** LAMMPS type -&gt; model species (-1 = NULL); throws when an element is not in the model. */
    static int[] speciesMap(ModelContract c, String[] typeElements) {
        int ntypes = typeElements.length - 1;
        int[] map = new int[ntypes + 1];
        map[0] = -1;
        for (int t = 1; t <= ntypes; t++) {
            String el = typeElements[t];
            if (el == null || el.equals("NULL")) {
                map[t] = -1;
                continue;
            }
            int s = c.speciesIndex(el);
            if (s < 0) {
                throw new IllegalArgumentException("pair_coeff element " + el + " is not in model " + c.fileName()
                        + " (species: " + String.join(" ", c.species())
                        + "): fix the pair_coeff line or use a model trained on " + el);
            }
            map[t] = s;
        }
        return map;
    }

    /** The squares of the cutoffs (what GraphBuilder compares distances with). */
    static double[] squared(double[] cutoffs) {
        double[] sq = new double[cutoffs.length];
        for (int k = 0; k < sq.length; k++) {
            sq[k] = cutoffs[k] * cutoffs[k];
        }
        return sq;
    }

    /** [(ntypes+1)^2] cutoffs per LAMMPS type pair from the model's species cutoffs, 0 where unmapped. */
    static double[] cutoffs(ModelContract c, int[] map) {
        int ntypes = map.length - 1;
        double[] cut = new double[(ntypes + 1) * (ntypes + 1)];
        for (int a = 1; a <= ntypes; a++) {
            for (int b = 1; b <= ntypes; b++) {
                if (map[a] >= 0 && map[b] >= 0) {
                    cut[a * (ntypes + 1) + b] = c.cutoff(map[a], map[b]);
                }
            }
        }
        return cut;
    }

    @Override
    public ModelContract contract() {
        return potential.contract();
    }

    @Override
    public double energy() {
        return energy;
    }

    @Override
    public double[] virial() {
        return virial;
    }

    @Override
    public long chunksLast() {
        return chunksLast;
    }

    /** [(ntypes+1)^2] cutoffs of this model per LAMMPS type pair, 0 where unmapped (a copy). */
    @Override
    public double[] typeCutoff() {
        return typeCutoff.clone();
    }

    /** Centre atoms per ONNX Runtime run (0 = the whole rank; -1 = default, not resolved yet). */
    @Override
    public int chunk() {
        return chunk;
    }

    @Override
    public int threads() {
        return workers.length;
    }

    /** The chunk plans of a pair style, one per chunk size, shared by its models. */
    interface Plans {
        ChunkPlan forChunk(int chunk);
    }

    /**
     * Adds this model's results for the rank's centre atoms into the arrays of st, and leaves
     * the rank's energy and virial in {@link #energy} and {@link #virial}.
     */
    @Override
    public void evaluate(Neighbors nb, long ilist, int inum, long neighBuilds, Step st, ChunkThreads pool, Plans plans) {
        energy = 0;
        java.util.Arrays.fill(virial, 0.0);
        if (chunk < 0) {
            // the default chunk follows the model's memory per edge and the neighbour count
            ChunkPlan whole = plans.forChunk(0);
            whole.update(nb, ilist, inum, neighBuilds, speciesOfType, 0, workers.length);
            ModelContract mc = potential.contract();
            chunk = PairKeywords.autoChunk(mc.hops(), mc.activationBytesPerEdge(), whole.meanNeighbours(),
                    workers.length);
            if (mc.hops() > 1 && chunk > 0) {
                ChunkPlan first = plans.forChunk(chunk);
                first.update(nb, ilist, inum, neighBuilds, speciesOfType, chunk, workers.length);
                if (first.chunks() > 1) {
                    int halo = workers[0].graph().countNodes(nb, first.centres(), first.start(0), first.start(1),
                            st.owner());
                    chunk = PairKeywords.chunkAfterHalo(chunk, halo, st.owner() != null ? nb.nlocal() : nb.nall());
                }
            }
        }
        final ChunkPlan plan = plans.forChunk(chunk);
        plan.update(nb, ilist, inum, neighBuilds, speciesOfType, chunk, workers.length);
        chunksLast = plan.count() == 0 ? 0 : plan.chunks();
        if (plan.count() == 0) {
            return;
        }
        final int threads = workers.length;
        pool.run(w -> workers[w].run(st, plan, threads));

        ChunkWorker failed = null;
        for (ChunkWorker w : workers) {
            if (w.error != null && (failed == null || w.errorChunk < failed.errorChunk)) {
                failed = w;
            }
        }
        if (failed != null) {
            if (failed.error instanceof RuntimeException r) {
                throw r;
            }
            if (failed.error instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(failed.error);
        }
        for (ChunkWorker w : workers) {
            w.reduceInto(st);
            energy += w.energy;
            for (int k = 0; k < 6; k++) {
                virial[k] += w.virial[k];
            }
        }
    }

    /** Adds this model's worker counters to acc: nodes, edges, bytes, bridge ns, onnx ns, bindings. */
    @Override
    public void addCounters(long[] acc) {
        for (ChunkWorker w : workers) {
            acc[0] += w.nodesLast;
            acc[1] += w.edgesLast;
            acc[2] += w.bufferBytes();
            acc[3] += w.bridgeNanos;
            acc[4] += w.onnxNanos;
            acc[5] += w.bindings;
        }
    }

    /** Frees the session, buffers and tensors (idempotent). */
    @Override
    public void close() {
        for (ChunkWorker w : workers) {
            w.close();
        }
        potential.close();
    }
}
