package org.interphase.pair;

import ai.onnxruntime.OrtException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * <p>Tally for edge e = (i, j) with r_e = x_j - x_i and F_e = dE/dr_e: f_i += F_e, f_j -= F_e
 * (forces on ghosts are reverse-communicated by LAMMPS, hence newton_pair on); virial
 * += -r_e (x) F_e in LAMMPS order xx yy zz xy xz yz (xy = r_x F_y, xz = r_x F_z, yz = r_y F_z);
 * per-atom virial: half of each edge's term to i and half to j. Energies: atomic_energy of the
 * chunk's own centres only.
 */
final class ChunkWorker implements AutoCloseable {
    private final int index;
    private final GraphBuilder graph;
    private final OnnxPotential.Binding binding;

    private Arena arena;
    private long privateAtoms;
    private long fPrivate;
    private long vPrivate;
    private boolean vPrivateValid;

    // per step
    private long fTarget;
    private long vTarget;
    private int nall;
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
    }

    GraphBuilder graph() {
        return graph;
    }

    long bufferBytes() {
        return graph.buffers().bytes() + (arena == null ? 0 : privateAtoms * 72L);
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
        nall = st.nb().nall();
        if (index == 0) {
            fTarget = st.f();
            vTarget = st.vflagAtom() ? st.vatom() : 0;
            return;
        }
        if (arena == null || privateAtoms < nall) {
            if (arena != null) {
                arena.close();
            }
            privateAtoms = nall + nall / 8 + 16;
            arena = Arena.ofShared();
            fPrivate = arena.allocate(24L * privateAtoms, 64).address();
            vPrivate = arena.allocate(48L * privateAtoms, 64).address();
        }
        NativeMemory.ALL.asSlice(fPrivate, 24L * nall).fill((byte) 0);
        fTarget = fPrivate;
        if (st.vflagAtom()) {
            NativeMemory.ALL.asSlice(vPrivate, 48L * nall).fill((byte) 0);
            vTarget = vPrivate;
        } else {
            vTarget = 0;
        }
        vPrivateValid = st.vflagAtom();
    }

    /** Adds this (non-zero) worker's private forces and per-atom virials to LAMMPS's arrays. */
    void reduceInto(Step st) {
        if (index == 0) {
            return;
        }
        final MemorySegment mem = NativeMemory.ALL;
        final ValueLayout.OfDouble D = NativeMemory.DOUBLE;
        final long n3 = 3L * nall;
        for (long k = 0; k < n3; k++) {
            long a = st.f() + 8 * k;
            mem.set(D, a, mem.get(D, a) + mem.get(D, fPrivate + 8 * k));
        }
        if (vPrivateValid && st.vflagAtom()) {
            final long n6 = 6L * nall;
            for (long k = 0; k < n6; k++) {
                long a = st.vatom() + 8 * k;
                mem.set(D, a, mem.get(D, a) + mem.get(D, vPrivate + 8 * k));
            }
        }
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

    /**
     * Adds the chunk's outputs in one pass over its edges, source by source (edges are stored
     * grouped by source node): the force on the source is summed in registers and stored once
     * per source; neighbours get -F_e directly.
     */
    private void tally(Step st) {
        final GraphBuilder g = graph;
        final int nsources = g.centres();
        final boolean f64 = g.buffers().precision() == Precision.FLOAT64;
        final long ef = g.buffers().edgeForces().address();
        final long ae = g.buffers().atomicEnergy().address();
        final long x = st.nb().x();
        final long f = fTarget;
        final long vatom = vTarget;
        final boolean vflagAtom = vatom != 0;
        final boolean needR = st.vflag() || vflagAtom;
        final MemorySegment mem = NativeMemory.ALL;
        final ValueLayout.OfDouble D = NativeMemory.DOUBLE;
        double v0 = 0, v1 = 0, v2 = 0, v3 = 0, v4 = 0, v5 = 0;
        int e1 = g.edgeStart(0);
        for (int s = 0; s < nsources; s++) {
            final int e0 = e1;
            e1 = g.edgeStart(s + 1);
            if (e0 == e1) {
                continue;
            }
            final int i = g.nodeAtom(s);
            final long xi = x + 24L * i;
            final double xix = mem.get(D, xi), xiy = mem.get(D, xi + 8), xiz = mem.get(D, xi + 16);
            double fix = 0, fiy = 0, fiz = 0;
            for (int e = e0; e < e1; e++) {
                final int j = g.edgeNeighbor(e);
                final double fx, fy, fz;
                if (f64) {
                    final long a = ef + 24L * e;
                    fx = mem.get(D, a);
                    fy = mem.get(D, a + 8);
                    fz = mem.get(D, a + 16);
                } else {
                    final long a = ef + 12L * e;
                    fx = mem.get(NativeMemory.FLOAT, a);
                    fy = mem.get(NativeMemory.FLOAT, a + 4);
                    fz = mem.get(NativeMemory.FLOAT, a + 8);
                }
                fix += fx;
                fiy += fy;
                fiz += fz;
                final long fj = f + 24L * j;
                mem.set(D, fj, mem.get(D, fj) - fx);
                mem.set(D, fj + 8, mem.get(D, fj + 8) - fy);
                mem.set(D, fj + 16, mem.get(D, fj + 16) - fz);
                if (needR) {
                    final long xj = x + 24L * j;
                    final double rx = mem.get(D, xj) - xix;
                    final double ry = mem.get(D, xj + 8) - xiy;
                    final double rz = mem.get(D, xj + 16) - xiz;
                    final double w0 = -rx * fx;
                    final double w1 = -ry * fy;
                    final double w2 = -rz * fz;
                    final double w3 = -rx * fy;
                    final double w4 = -rx * fz;
                    final double w5 = -ry * fz;
                    v0 += w0;
                    v1 += w1;
                    v2 += w2;
                    v3 += w3;
                    v4 += w4;
                    v5 += w5;
                    if (vflagAtom) {
                        addHalf(vatom, i, w0, w1, w2, w3, w4, w5);
                        addHalf(vatom, j, w0, w1, w2, w3, w4, w5);
                    }
                }
            }
            final long fi = f + 24L * i;
            mem.set(D, fi, mem.get(D, fi) + fix);
            mem.set(D, fi + 8, mem.get(D, fi + 8) + fiy);
            mem.set(D, fi + 16, mem.get(D, fi + 16) + fiz);
        }
        virial[0] += v0;
        virial[1] += v1;
        virial[2] += v2;
        virial[3] += v3;
        virial[4] += v4;
        virial[5] += v5;
        if (st.eflag() || st.eflagAtom()) {
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

    private static void addHalf(long vatom, int i, double w0, double w1, double w2, double w3, double w4, double w5) {
        long b = 6L * i;
        NativeMemory.addDouble(vatom, b, 0.5 * w0);
        NativeMemory.addDouble(vatom, b + 1, 0.5 * w1);
        NativeMemory.addDouble(vatom, b + 2, 0.5 * w2);
        NativeMemory.addDouble(vatom, b + 3, 0.5 * w3);
        NativeMemory.addDouble(vatom, b + 4, 0.5 * w4);
        NativeMemory.addDouble(vatom, b + 5, 0.5 * w5);
    }

    /** Frees the buffers and tensors (idempotent). */
    @Override
    public void close() {
        binding.close();
        graph.close();
        if (arena != null) {
            arena.close();
            arena = null;
        }
    }
}
