package org.interphase.pair;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.interphase.bridge.BridgeLayouts;
import org.interphase.graph.ChunkPlan;
import org.interphase.graph.GraphBuilder;
import org.interphase.graph.Neighbors;
import org.interphase.graph.NativeMemory;
import org.interphase.inference.ModelContract;
import org.interphase.inference.OnnxPotential;

/**
 * One {@code pair_style onnx} instance: settings (create), model and type mapping (coeff), and
 * the force evaluation (compute). A compute splits the rank's centre atoms into spatially
 * compact chunks ({@link ChunkPlan}), one ONNX Runtime run each, so the model's activations are
 * bounded by the chunk size rather than the rank's atom count; {@code threads} workers evaluate
 * chunks concurrently on one session ({@link ChunkWorker}) and their sums are reduced in a
 * fixed order. The results add energies, forces and virials straight into LAMMPS's storage.
 */
public final class PairOnnx implements AutoCloseable {
    /** Calls excluded from the heap-allocation average (JIT warm-up, first allocations). */
    public static final int WARMUP_CALLS = 5;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final OrtEnvironment env;
    private final PairSettings settings;
    private OnnxPotential potential;
    private ChunkWorker[] workers = new ChunkWorker[0];
    private ChunkThreads pool;
    private final ChunkPlan plan = new ChunkPlan();
    private int chunk;
    private int[] speciesOfType = new int[0];

    private long calls;
    private long heapBytes;
    private long reallocations;
    private long chunksLast;

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
        chunk = settings.autoChunk() ? -1 : settings.chunk(); // auto: resolved at the first compute
        workers = new ChunkWorker[settings.threads()];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new ChunkWorker(w, new GraphBuilder(c.precision(), c.hasMask(), settings.pad(), c.rMax(),
                    c.hops(), map, cutsq), next.binding());
        }
        if (pool == null) {
            pool = new ChunkThreads(settings.threads());
        }
        return new CoeffResult(c.hops(), c.rMax(), cut);
    }

    /** Centre atoms per ONNX Runtime run (0 = the whole rank; -1 = default, not resolved yet). */
    public int chunk() {
        return chunk;
    }

    /** One force evaluation; args is the address of an iph_compute_args. */
    public void compute(long args) {
        if (potential == null) {
            throw new IllegalStateException("pair_style onnx: compute before pair_coeff: add 'pair_coeff * * model.onnx El ...'");
        }
        final long h0 = THREADS.getCurrentThreadAllocatedBytes() + pool.allocatedBytes(THREADS);
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
        final long tag = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_TAG);
        final int tagBytes = all.get(NativeMemory.INT, args + BridgeLayouts.OFF_TAG_BYTES);
        final long neighBuilds = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_NEIGH_BUILDS);
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
        if (tag != 0 && tagBytes != 4 && tagBytes != 8) {
            throw new IllegalArgumentException("compute args: tag_bytes " + tagBytes + " is not 4 or 8");
        }
        if (inum < 0 || inum > nlocal || gnum < 0) {
            throw new IllegalArgumentException("compute args: inconsistent counts nlocal=" + nlocal
                    + " inum=" + inum + " gnum=" + gnum);
        }
        calls++;
        if (nlocal == 0) {
            // no local atoms: nothing to add (ghost-centred edges carry mask 0); skip the model
            chunksLast = 0;
            return;
        }
        final Neighbors nb = new Neighbors(x, type, numneigh, firstneigh, nlocal, nall, gnum > 0);
        if (chunk < 0) {
            // the default chunk follows the model's memory per edge and the neighbour count
            plan.update(nb, ilist, inum, neighBuilds, speciesOfType, 0, 1);
            ModelContract mc = potential.contract();
            chunk = PairKeywords.autoChunk(mc.hops(), mc.activationBytesPerEdge(), plan.meanNeighbours(),
                    workers.length);
        }
        plan.update(nb, ilist, inum, neighBuilds, speciesOfType, chunk, workers.length);
        chunksLast = plan.count() == 0 ? 0 : plan.chunks();
        if (plan.count() == 0) {
            return;
        }
        final Step st = new Step(nb, f, eatom, vatom, eflagGlobal, eflagAtom, vflagGlobal, vflagAtom, tag, tagBytes,
                step);
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
        double energy = 0;
        double[] v = new double[6];
        for (ChunkWorker w : workers) {
            w.reduceInto(st);
            energy += w.energy;
            for (int k = 0; k < 6; k++) {
                v[k] += w.virial[k];
            }
        }
        if (eflagGlobal) {
            NativeMemory.addDouble(engVdwl, 0, energy);
        }
        if (vflagGlobal) {
            for (int k = 0; k < 6; k++) {
                NativeMemory.addDouble(virial, k, v[k]);
            }
        }
        if (calls > WARMUP_CALLS) {
            heapBytes += THREADS.getCurrentThreadAllocatedBytes() + pool.allocatedBytes(THREADS) - h0;
        }
    }

    /** Counters for iph_stats and the interphase-stats line. */
    public PairStats stats() {
        long nodes = 0, edges = 0, bytes = 0, bridge = 0, onnx = 0, binds = 0;
        for (ChunkWorker w : workers) {
            nodes += w.nodesLast;
            edges += w.edgesLast;
            bytes += w.bufferBytes();
            bridge += w.bridgeNanos;
            onnx += w.onnxNanos;
            binds += w.bindings;
        }
        long counted = calls - WARMUP_CALLS;
        return new PairStats(calls, nodes, edges, bytes, bridge * 1e-9, onnx * 1e-9,
                counted > 0 ? heapBytes / counted : 0, Math.max(0, binds - workers.length), chunksLast,
                workers.length == 0 ? settings.threads() : workers.length);
    }

    private void closeModel() {
        for (ChunkWorker w : workers) {
            w.close();
        }
        workers = new ChunkWorker[0];
        if (potential != null) {
            potential.close();
            potential = null;
        }
    }

    /** Frees the model, buffers and worker threads (idempotent). */
    @Override
    public void close() {
        closeModel();
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}
