package org.interphase.pair;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.interphase.bridge.BridgeLayouts;
import org.interphase.graph.GraphBuilder;
import org.interphase.graph.NativeMemory;
import org.interphase.graph.Precision;
import org.interphase.inference.ModelContract;
import org.interphase.inference.OnnxPotential;

/**
 * One {@code pair_style onnx} instance: settings (create), model and type mapping (coeff), and
 * the force evaluation (compute) that builds the graph from LAMMPS's arrays, runs the model and
 * adds energies, forces and virials straight into LAMMPS's storage.
 *
 * <p>Tally for edge e = (i, j) with r_e = x_j - x_i and F_e = dE/dr_e: f_i += F_e, f_j -= F_e
 * (forces on ghosts are reverse-communicated by LAMMPS, hence newton_pair on); virial
 * += -r_e (x) F_e in LAMMPS order xx yy zz xy xz yz (xy = r_x F_y, xz = r_x F_z, yz = r_y F_z);
 * per-atom virial: half of each edge's term to i and half to j. Energies: atomic_energy of local
 * atoms only.
 */
public final class PairOnnx implements AutoCloseable {
    /** Calls excluded from the heap-allocation average (JIT warm-up, first allocations). */
    public static final int WARMUP_CALLS = 5;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final OrtEnvironment env;
    private final PairSettings settings;
    private OnnxPotential potential;
    private GraphBuilder graph;
    private int[] speciesOfType = new int[0];

    private long calls;
    private long bridgeNanos;
    private long onnxNanos;
    private long heapBytes;
    private long reallocations;
    private long bindings;

    public PairOnnx(OrtEnvironment env, PairSettings settings) {
        this.env = env;
        this.settings = settings;
        OnnxPotential.checkDevice(settings.inference());
    }

    public PairSettings settings() {
        return settings;
    }

    /** The loaded model's contract, or null before coeff. */
    public ModelContract contract() {
        return potential == null ? null : potential.contract();
    }

    /**
     * pair_coeff * * model.onnx El1 El2 ...
     *
     * @param typeElements [ntypes+1]; [0] unused; null = type not handled by this pair style
     */
    public CoeffResult coeff(String modelPath, String[] typeElements) {
        int ntypes = typeElements.length - 1;
        if (ntypes < 1) {
            throw new IllegalArgumentException("pair_coeff needs one element (or NULL) per atom type");
        }
        OnnxPotential next = OnnxPotential.open(env, Path.of(modelPath), settings.inference());
        ModelContract c = next.contract();
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
                next.close();
                throw new IllegalArgumentException("pair_coeff element " + el + " is not in model " + c.fileName()
                        + " (species: " + String.join(" ", c.species()) + "): fix the pair_coeff line or use a model trained on "
                        + el);
            }
            map[t] = s;
        }
        double[] cut = new double[(ntypes + 1) * (ntypes + 1)];
        double[] cutsq = new double[cut.length];
        for (int a = 1; a <= ntypes; a++) {
            for (int b = 1; b <= ntypes; b++) {
                if (map[a] >= 0 && map[b] >= 0) {
                    double rc = c.cutoff(map[a], map[b]);
                    cut[a * (ntypes + 1) + b] = rc;
                    cutsq[a * (ntypes + 1) + b] = rc * rc;
                }
            }
        }
        closeModel();
        potential = next;
        speciesOfType = map;
        graph = new GraphBuilder(c.precision(), c.hasMask(), settings.pad(), c.rMax(), map, cutsq);
        bindings = 0;
        return new CoeffResult(c.hops(), c.rMax(), cut);
    }

    /** One force evaluation; args is the address of an iph_compute_args. */
    public void compute(long args) {
        final long h0 = THREADS.getCurrentThreadAllocatedBytes();
        final long t0 = System.nanoTime();
        if (potential == null) {
            throw new IllegalStateException("pair_style onnx: compute before pair_coeff: add 'pair_coeff * * model.onnx El ...'");
        }
        final MemorySegment all = NativeMemory.ALL;
        final long x = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_X);
        final long f = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_F);
        final long type = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_TYPE);
        final long ilist = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_ILIST);
        final long numneigh = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_NUMNEIGH);
        final long firstneigh = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_FIRSTNEIGH);
        final long engVdwl = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_ENG_VDWL);
        final long virial = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_VIRIAL);
        final long eatom = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_EATOM);
        final long vatom = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_VATOM);
        final long step = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_STEP);
        final int nlocal = all.get(NativeMemory.INT, args + BridgeLayouts.OFF_NLOCAL);
        final int nghost = all.get(NativeMemory.INT, args + BridgeLayouts.OFF_NGHOST);
        final int inum = all.get(NativeMemory.INT, args + BridgeLayouts.OFF_INUM);
        final int gnum = all.get(NativeMemory.INT, args + BridgeLayouts.OFF_GNUM);
        final boolean eflagGlobal = all.get(NativeMemory.INT, args + BridgeLayouts.OFF_EFLAG_GLOBAL) != 0;
        final boolean eflagAtom = all.get(NativeMemory.INT, args + BridgeLayouts.OFF_EFLAG_ATOM) != 0;
        final boolean vflagGlobal = all.get(NativeMemory.INT, args + BridgeLayouts.OFF_VFLAG_GLOBAL) != 0;
        final boolean vflagAtom = all.get(NativeMemory.INT, args + BridgeLayouts.OFF_VFLAG_ATOM) != 0;
        final int nall = nlocal + nghost;
        if (nall > 0 && f == 0) {
            throw new IllegalArgumentException("compute args: f is NULL");
        }
        if ((eflagGlobal && engVdwl == 0) || (vflagGlobal && virial == 0)
                || (eflagAtom && eatom == 0) || (vflagAtom && vatom == 0)) {
            throw new IllegalArgumentException("compute args: an energy/virial flag is set but its array is NULL");
        }
        if (nlocal == 0) {
            // no local atoms: nothing to add (ghost-centred edges carry mask 0); skip the model
            calls++;
            bridgeNanos += System.nanoTime() - t0;
            return;
        }
        final int ncentres = inum + (potential.contract().hops() > 1 ? gnum : 0);
        graph.build(x, type, ilist, numneigh, firstneigh, nlocal, nall, ncentres);

        final long t1 = System.nanoTime();
        final boolean rebound;
        try {
            rebound = potential.run(graph);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed at step " + step + ": "
                    + e.getMessage().replaceAll("\\s+", " ").strip());
        }
        final long t2 = System.nanoTime();
        if (rebound && bindings++ > 0) {
            reallocations++;
        }
        checkFinite(x, nlocal, step);
        tally(x, type, f, nlocal, engVdwl, virial, eatom, vatom, eflagGlobal, eflagAtom, vflagGlobal, vflagAtom);

        final long t3 = System.nanoTime();
        calls++;
        onnxNanos += t2 - t1;
        bridgeNanos += (t1 - t0) + (t3 - t2);
        if (calls > WARMUP_CALLS) {
            heapBytes += THREADS.getCurrentThreadAllocatedBytes() - h0;
        }
    }

    private static double out(long address, boolean f64, long k) {
        return f64 ? NativeMemory.getDouble(address, k) : NativeMemory.getFloat(address, k);
    }

    private void checkFinite(long x, int nlocal, long step) {
        final int ne = graph.realEdges();
        final boolean f64 = graph.buffers().precision() == Precision.FLOAT64;
        final long ef = graph.buffers().edgeForces().address();
        final long ae = graph.buffers().atomicEnergy().address();
        // branch-free scan (no floating-point dependency chain): |v| <= MAX fails only for NaN/Inf
        boolean finite = true;
        if (f64) {
            final long end = ef + 24L * ne;
            for (long a = ef; a < end; a += 8) {
                finite &= Math.abs(NativeMemory.ALL.get(NativeMemory.DOUBLE, a)) <= Double.MAX_VALUE;
            }
            for (int i = 0; i < nlocal; i++) {
                finite &= Math.abs(NativeMemory.getDouble(ae, i)) <= Double.MAX_VALUE;
            }
        } else {
            final long end = ef + 12L * ne;
            for (long a = ef; a < end; a += 4) {
                finite &= Math.abs(NativeMemory.ALL.get(NativeMemory.FLOAT, a)) <= Float.MAX_VALUE;
            }
            for (int i = 0; i < nlocal; i++) {
                finite &= Math.abs(NativeMemory.getFloat(ae, i)) <= Float.MAX_VALUE;
            }
        }
        if (finite) {
            return;
        }
        for (int e = 0; e < ne; e++) {
            if (!(Double.isFinite(out(ef, f64, 3L * e)) && Double.isFinite(out(ef, f64, 3L * e + 1))
                    && Double.isFinite(out(ef, f64, 3L * e + 2)))) {
                int i = graph.edgeCentre(e);
                int j = graph.edgeNeighbor(e);
                double r = distance(x, i, j);
                throw new NonFiniteOutputException("model output has NaN/Inf at step " + step + " (edge force between atom index "
                        + i + " and " + j + ", r = " + String.format("%.4g", r) + " A): atoms too close or outside the "
                        + "training domain; check the structure / timestep");
            }
        }
        for (int i = 0; i < nlocal; i++) {
            if (!Double.isFinite(out(ae, f64, i))) {
                throw new NonFiniteOutputException("model output has NaN/Inf at step " + step + " (atomic energy of local atom index "
                        + i + "): atoms too close or outside the training domain; check the structure / timestep");
            }
        }
        throw new NonFiniteOutputException("model output has NaN/Inf at step " + step
                + ": atoms too close or outside the training domain; check the structure / timestep");
    }

    private static double distance(long x, int i, int j) {
        double dx = NativeMemory.getDouble(x, 3L * j) - NativeMemory.getDouble(x, 3L * i);
        double dy = NativeMemory.getDouble(x, 3L * j + 1) - NativeMemory.getDouble(x, 3L * i + 1);
        double dz = NativeMemory.getDouble(x, 3L * j + 2) - NativeMemory.getDouble(x, 3L * i + 2);
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    /**
     * Adds the model's outputs to LAMMPS's arrays in one pass over the edges, centre by centre
     * (edges are stored grouped by centre): the force on the centre is summed in registers and
     * stored once per centre; neighbours get -F_e directly.
     */
    private void tally(long x, long type, long f, int nlocal, long engVdwl, long virial, long eatom, long vatom,
                       boolean eflagGlobal, boolean eflagAtom, boolean vflagGlobal, boolean vflagAtom) {
        final GraphBuilder g = graph;
        final int ncentres = g.centres();
        final long stride = g.edges();
        final boolean f64 = g.buffers().precision() == Precision.FLOAT64;
        final long ef = g.buffers().edgeForces().address();
        final long ae = g.buffers().atomicEnergy().address();
        final long ei = g.buffers().edgeIndex().address();
        final boolean needR = vflagGlobal || vflagAtom;
        final MemorySegment mem = NativeMemory.ALL;
        final ValueLayout.OfDouble D = NativeMemory.DOUBLE;
        double v0 = 0, v1 = 0, v2 = 0, v3 = 0, v4 = 0, v5 = 0;
        int e1 = g.edgeStart(0);
        for (int c = 0; c < ncentres; c++) {
            final int e0 = e1;
            e1 = g.edgeStart(c + 1);
            if (e0 == e1) {
                continue;
            }
            final int i = (int) NativeMemory.getLong(ei, e0);
            final long xi = x + 24L * i;
            final double xix = mem.get(D, xi), xiy = mem.get(D, xi + 8), xiz = mem.get(D, xi + 16);
            double fix = 0, fiy = 0, fiz = 0;
            for (int e = e0; e < e1; e++) {
                final int j = (int) NativeMemory.getLong(ei, stride + e);
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
        if (vflagGlobal) {
            NativeMemory.addDouble(virial, 0, v0);
            NativeMemory.addDouble(virial, 1, v1);
            NativeMemory.addDouble(virial, 2, v2);
            NativeMemory.addDouble(virial, 3, v3);
            NativeMemory.addDouble(virial, 4, v4);
            NativeMemory.addDouble(virial, 5, v5);
        }
        if (eflagGlobal || eflagAtom) {
            double esum = 0;
            for (int i = 0; i < nlocal; i++) {
                if (!handles(type, i)) {
                    continue;
                }
                double e = out(ae, f64, i);
                esum += e;
                if (eflagAtom) {
                    NativeMemory.addDouble(eatom, i, e);
                }
            }
            if (eflagGlobal) {
                NativeMemory.addDouble(engVdwl, 0, esum);
            }
        }
    }

    private boolean handles(long type, int i) {
        return speciesOfType[NativeMemory.getInt(type, i)] >= 0;
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

    /** Counters for iph_stats and the interphase-stats line. */
    public PairStats stats() {
        return new PairStats(calls, graph == null ? 0 : graph.nodes(), graph == null ? 0 : graph.edges(),
                graph == null ? 0 : graph.buffers().bytes(), bridgeNanos * 1e-9, onnxNanos * 1e-9, heapBytes,
                reallocations);
    }

    private void closeModel() {
        if (graph != null) {
            graph.close();
            graph = null;
        }
        if (potential != null) {
            potential.close();
            potential = null;
        }
    }

    @Override
    public void close() {
        closeModel();
    }
}
