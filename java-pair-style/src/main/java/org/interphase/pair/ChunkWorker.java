package org.interphase.pair;

import ai.onnxruntime.OrtException;
import org.interphase.graph.ChunkPlan;
import org.interphase.graph.GraphBuilder;
import org.interphase.graph.NativeMemory;
import org.interphase.graph.Precision;
import org.interphase.inference.OnnxPotential;
import org.interphase.inference.OrtMessages;

/**
 * One worker of a pair style: its own graph buffers and tensor binding on the shared session,
 * and its own accumulators. Worker w evaluates chunks w, w + T, w + 2T, ... of the plan (a fixed
 * assignment, so results are bitwise reproducible for a given thread count T and chunking).
 * Worker 0 adds forces and per-atom virials straight into LAMMPS's arrays; the others add into
 * private arrays that {@link #reduceInto} adds to LAMMPS's in worker order. Per-atom energies
 * go straight to LAMMPS's eatom (each centre belongs to one chunk).
 *
 * <p>Forces and virials follow {@link EdgeTally}; energies: atomic_energy of the chunk's own
 * centres only.
 */
final class ChunkWorker implements AutoCloseable {
    private final int index;
    private final GraphBuilder graph;
    private final OnnxPotential.Binding binding;

    private final ForceTargets targets;

    // per step
    double energy;
    final double[] virial = new double[6];
    Throwable error;
    int errorChunk;

    // totals
    long onnxNanos;
    long bridgeNanos;
    long bindings;
    long nodesLast;
    long edgesLast;

    ChunkWorker(int index, GraphBuilder graph, OnnxPotential.Binding binding) {
        this.index = index;
        this.graph = graph;
        this.binding = binding;
        this.targets = new ForceTargets(index == 0, 0);
    }

    GraphBuilder graph() {
        return graph;
    }

    long bufferBytes() {
        return graph.buffers().bytes() + targets.bytes();
    }

    /** Evaluates this worker's chunks of the plan; failures are kept in {@link #error}. */
    void run(Step st, ChunkPlan plan, int threads) {
        final long t0 = System.nanoTime();
        error = null;
        errorChunk = Integer.MAX_VALUE;
        energy = 0;
        java.util.Arrays.fill(virial, 0.0);
        nodesLast = 0;
        edgesLast = 0;
        long onnx = 0;
        try {
            prepareTargets(st);
            int mine = 0;
            for (int k = index; k < plan.chunks(); k += threads) {
                mine++;
            }
            graph.beginStep(mine);
            for (int k = index; k < plan.chunks(); k += threads) {
                if (plan.start(k + 1) == plan.start(k)) {
                    continue;
                }
                try {
                    graph.build(st.nb(), plan.centres(), plan.start(k), plan.start(k + 1), st.owner());
                    final long t1 = System.nanoTime();
                    try {
                        if (binding.run(graph)) {
                            bindings++;
                        }
                    } catch (OrtException e) {
                        throw new IllegalStateException("ONNX Runtime failed at step " + st.step() + ": "
                                + OrtMessages.reason(e.getMessage()));
                    }
                    onnx += System.nanoTime() - t1;
                    nodesLast += graph.nodes();
                    edgesLast += graph.edges();
                    checkFinite(st);
                    tally(st);
                } catch (Throwable t) {
                    error = t;
                    errorChunk = k;
                    return;
                }
            }
        } catch (Throwable t) {
            error = t;
            errorChunk = -1;
        } finally {
            onnxNanos += onnx;
            bridgeNanos += System.nanoTime() - t0 - onnx;
        }
    }

    private void prepareTargets(Step st) {
        targets.prepare(st);
    }

    /** Adds this (non-zero) worker's private forces and per-atom virials to LAMMPS's arrays. */
    void reduceInto(Step st) {
        targets.reduceInto(st);
    }

    private static double out(long address, boolean f64, long k) {
        return f64 ? NativeMemory.getDouble(address, k) : NativeMemory.getFloat(address, k);
    }

    private void checkFinite(Step st) {
        final GraphBuilder g = graph;
        final int ne = g.realEdges();
        final int own = g.ownCentres();
        final boolean f64 = g.buffers().precision() == Precision.FLOAT64;
        final long ef = g.buffers().edgeForces().address();
        final long ae = g.buffers().atomicEnergy().address();
        // branch-free scan (no floating-point dependency chain): |v| <= MAX fails only for NaN/Inf
        boolean finite = true;
        if (f64) {
            final long end = ef + 24L * ne;
            for (long a = ef; a < end; a += 8) {
                finite &= Math.abs(NativeMemory.ALL.get(NativeMemory.DOUBLE, a)) <= Double.MAX_VALUE;
            }
            for (int c = 0; c < own; c++) {
                finite &= Math.abs(NativeMemory.getDouble(ae, c)) <= Double.MAX_VALUE;
            }
        } else {
            final long end = ef + 12L * ne;
            for (long a = ef; a < end; a += 4) {
                finite &= Math.abs(NativeMemory.ALL.get(NativeMemory.FLOAT, a)) <= Float.MAX_VALUE;
            }
            for (int c = 0; c < own; c++) {
                finite &= Math.abs(NativeMemory.getFloat(ae, c)) <= Float.MAX_VALUE;
            }
        }
        if (finite) {
            return;
        }
        final long x = st.nb().x();
        for (int e = 0; e < ne; e++) {
            if (!(Double.isFinite(out(ef, f64, 3L * e)) && Double.isFinite(out(ef, f64, 3L * e + 1))
                    && Double.isFinite(out(ef, f64, 3L * e + 2)))) {
                int i = g.edgeCentre(e);
                int j = g.edgeNeighbor(e);
                double r = distance(x, i, j);
                throw new NonFiniteOutputException("model output has NaN/Inf at step " + st.step()
                        + " (edge force between atoms " + st.describe(i) + " and " + st.describe(j) + ", r = "
                        + String.format("%.4g", r) + " A): atoms too close or outside the training domain; check "
                        + "the structure / timestep");
            }
        }
        for (int c = 0; c < own; c++) {
            if (!Double.isFinite(out(ae, f64, c))) {
                throw new NonFiniteOutputException("model output has NaN/Inf at step " + st.step()
                        + " (atomic energy of atom " + st.describe(g.nodeAtom(c)) + "): atoms too close or outside "
                        + "the training domain; check the structure / timestep");
            }
        }
        throw new NonFiniteOutputException("model output has NaN/Inf at step " + st.step()
                + ": atoms too close or outside the training domain; check the structure / timestep");
    }

    private static double distance(long x, int i, int j) {
        double dx = NativeMemory.getDouble(x, 3L * j) - NativeMemory.getDouble(x, 3L * i);
        double dy = NativeMemory.getDouble(x, 3L * j + 1) - NativeMemory.getDouble(x, 3L * i + 1);
        double dz = NativeMemory.getDouble(x, 3L * j + 2) - NativeMemory.getDouble(x, 3L * i + 2);
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    /** Adds the chunk's edge forces (and virials) and its own centres' energies. */
    private void tally(Step st) {
        final GraphBuilder g = graph;
        EdgeTally.add(g, st.nb().x(), targets.f, targets.vatom, st.vflag() || targets.vatom != 0, virial);
        if (st.eflag() || st.eflagAtom()) {
            final boolean f64 = g.buffers().precision() == Precision.FLOAT64;
            final long ae = g.buffers().atomicEnergy().address();
            final int own = g.ownCentres();
            double esum = 0;
            for (int c = 0; c < own; c++) {
                double e = out(ae, f64, c);
                esum += e;
                if (st.eflagAtom()) {
                    NativeMemory.addDouble(st.eatom(), g.nodeAtom(c), e);
                }
            }
            energy += esum;
        }
    }

    /** Frees the buffers and tensors (idempotent). */
    @Override
    public void close() {
        binding.close();
        graph.close();
        targets.close();
    }
}
