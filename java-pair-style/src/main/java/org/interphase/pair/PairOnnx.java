package org.interphase.pair;

import ai.onnxruntime.OrtEnvironment;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.interphase.bridge.BridgeLayouts;
import org.interphase.graph.ChunkPlan;
import org.interphase.graph.Neighbors;
import org.interphase.graph.NativeMemory;
import org.interphase.inference.ModelContract;
import org.interphase.inference.OnnxPotential;

/**
 * One {@code pair_style onnx} instance: settings (create), the models and type mapping (coeff),
 * and the force evaluation (compute). A compute splits the rank's centre atoms into spatially
 * compact chunks ({@link ChunkPlan}), one ONNX Runtime run each, so the model's activations are
 * bounded by the chunk size rather than the rank's atom count; {@code threads} workers evaluate
 * chunks concurrently on one session ({@link ChunkWorker}) and their sums are reduced in a
 * fixed order. The results add energies, forces and virials straight into LAMMPS's storage.
 *
 * <p>With several models in pair_coeff (a committee), model 0 drives the dynamics exactly as a
 * single model would. On the deviation steps the shim chooses, it passes one force, per-atom
 * energy and virial block per member; model 0's results then go to its block first and are
 * added from there to LAMMPS's arrays (LAMMPS zeroes them, so the sums are bit for bit those
 * of a single-model step), and every other member fills its own block.
 */
public final class PairOnnx implements AutoCloseable {
    /** Calls excluded from the heap-allocation average (JIT warm-up, first allocations). */
    public static final int WARMUP_CALLS = 5;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final OrtEnvironment env;
    private final PairSettings settings;
    private Evaluator[] models = new Evaluator[0];
    private ChunkThreads pool;
    // chunk plans by chunk size, shared by the models (a few entries; no allocation per step)
    private int[] planChunks = new int[0];
    private ChunkPlan[] planList = new ChunkPlan[0];
    private final ModelEvaluator.Plans plans = this::plan;

    private boolean fold;
    private int[] owner = new int[0];
    private int[] localOfTag = new int[0];
    private long ownerBuilds = Long.MIN_VALUE;

    private Exchange exchangeCache; // the shim's exchange function (fixed for the life of the pair style)
    private long calls;
    private long memberCalls;
    private long heapBytes;
    private long chunksLast;

    public PairOnnx(OrtEnvironment env, PairSettings settings) {
        this.env = env;
        this.settings = settings;
        OnnxPotential.checkDevice(settings.inference());
    }

    public PairSettings settings() {
        return settings;
    }

    /** Model 0's contract, or null before coeff. */
    public ModelContract contract() {
        return models.length == 0 ? null : models[0].contract();
    }

    /** Models in the committee (0 before coeff). */
    public int members() {
        return models.length;
    }

    /** pair_coeff * * model.onnx El1 El2 ... (a single model). */
    public CoeffResult coeff(String modelPath, String[] typeElements) {
        return coeff(List.of(modelPath), typeElements);
    }

    /**
     * pair_coeff * * m0.onnx [m1.onnx ...] El1 El2 ...: model 0 drives the dynamics, the others
     * are committee members. All must have the same species; cutoffs, hops and precision may
     * differ (the largest cutoff sets LAMMPS's neighbour lists; each model keeps its own edges).
     *
     * @param typeElements [ntypes+1]; [0] unused; null = type not handled by this pair style
     */
    public CoeffResult coeff(List<String> modelPaths, String[] typeElements) {
        int ntypes = typeElements.length - 1;
        if (ntypes < 1) {
            throw new IllegalArgumentException("pair_coeff needs one element (or NULL) per atom type");
        }
        if (modelPaths.isEmpty()) {
            throw new IllegalArgumentException("pair_coeff: no model file given: use 'pair_coeff * * model.onnx El1 El2 ...'");
        }
        List<Evaluator> next = new ArrayList<>();
        try {
            for (String path : modelPaths) {
                Evaluator m = Evaluator.open(env, path, typeElements, settings);
                next.add(m);
                ModelContract c0 = next.get(0).contract();
                ModelContract c = m.contract();
                if (!new TreeSet<>(c.species()).equals(new TreeSet<>(c0.species()))) {
                    throw new IllegalArgumentException("pair_coeff: committee member " + c.fileName() + " has species "
                            + String.join(" ", c.species()) + " but model 0 (" + c0.fileName() + ") has "
                            + String.join(" ", c0.species()) + ": every model of a committee must be trained on the "
                            + "same elements");
                }
            }
        } catch (RuntimeException | Error e) {
            next.forEach(Evaluator::close);
            throw e;
        }
        closeModels();
        models = next.toArray(new Evaluator[0]);
        planChunks = new int[0];
        planList = new ChunkPlan[0];
        if (pool == null) {
            pool = new ChunkThreads(settings.threads());
        }
        double[] cut = new double[(ntypes + 1) * (ntypes + 1)];
        int hops = 0;
        int shellHops = 0; // the deepest contract-v1 message-passing model (it needs a ghost shell or folding)
        double rMax = 0;
        int exchangeWidth = 0;
        double shellReach = 0; // the largest hops x r_max of the contract-v1 models
        for (Evaluator m : models) {
            double[] c = m.typeCutoff();
            for (int k = 0; k < cut.length; k++) {
                cut[k] = Math.max(cut[k], c[k]);
            }
            ModelContract mc = m.contract();
            hops = Math.max(hops, mc.hops());
            rMax = Math.max(rMax, mc.rMax());
            exchangeWidth = Math.max(exchangeWidth, m.exchangeWidth());
            if (m.exchangeWidth() == 0) {
                shellHops = Math.max(shellHops, mc.hops());
                shellReach = Math.max(shellReach, mc.hops() * mc.rMax());
            }
        }
        // contract v2 exchanges node features between layers: a ghost cutoff of r_max. Contract v1
        // on one rank: every ghost is an image of a local atom, so message passing folds them (exact
        // with a ghost cutoff of r_max); several ranks need the hops x r_max shell
        fold = shellHops > 1 && settings.fold() && settings.mpiSize() == 1;
        ownerBuilds = Long.MIN_VALUE;
        final double reach = fold ? rMax : Math.max(rMax, shellReach);
        PairSettings.Deviation dev = settings.deviation();
        String warning = "";
        if (models.length == 1 && !dev.given().isEmpty()) {
            warning = "pair_style onnx: " + String.join(", ", dev.given()) + " act only on a committee; pair_coeff "
                    + "names one model, so no model deviation is computed: give two or more model files before the "
                    + "element names";
        }
        return new CoeffResult(hops, rMax, reach, shellHops > 1 && !fold, cut, models.length, dev, warning,
                exchangeWidth);
    }

    private ChunkPlan plan(int chunk) {
        for (int k = 0; k < planChunks.length; k++) {
            if (planChunks[k] == chunk) {
                return planList[k];
            }
        }
        planChunks = java.util.Arrays.copyOf(planChunks, planChunks.length + 1);
        planList = java.util.Arrays.copyOf(planList, planList.length + 1);
        planChunks[planChunks.length - 1] = chunk;
        return planList[planList.length - 1] = new ChunkPlan();
    }

    /** Model 0's centre atoms per ONNX Runtime run (0 = the whole rank; -1 = default, not resolved yet). */
    public int chunk() {
        return models.length == 0 ? -1 : models[0].chunk();
    }

    /** One force evaluation; args is the address of an iph_compute_args. */
    public void compute(long args) {
        if (models.length == 0) {
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
        final long memberF = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_MEMBER_F);
        final long memberEatom = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_MEMBER_EATOM);
        final long memberVirial = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_MEMBER_VIRIAL);
        final long memberStride = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_MEMBER_STRIDE);
        final long exchangeFn = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_EXCHANGE);
        final long exchangeCtx = all.get(NativeMemory.LONG, args + BridgeLayouts.OFF_EXCHANGE_CTX);
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
        final boolean deviation = memberF != 0;
        if (deviation && (models.length < 2 || memberEatom == 0 || memberVirial == 0 || memberStride < nall)) {
            throw new IllegalArgumentException("compute args: member blocks given for " + models.length
                    + " model(s) with stride " + memberStride + " < nall " + nall + " or a NULL block");
        }
        calls++;
        if (deviation) {
            memberCalls++;
        }
        if (exchangeFn != 0 && exchangeCache == null) {
            exchangeCache = new Exchange(exchangeFn, exchangeCtx);
        }
        final Exchange exchange = exchangeFn == 0 ? null : exchangeCache;
        if (nlocal == 0 && exchange == null) {
            // no local atoms: nothing to add (ghost-centred edges carry mask 0); skip the models.
            // Contract-v2 models still take part in the collective feature exchanges.
            chunksLast = 0;
            return;
        }
        final Neighbors nb = new Neighbors(x, type, numneigh, firstneigh, nlocal, nall, gnum > 0);
        final int[] own = fold ? owners(nlocal, nall, tag, tagBytes, neighBuilds) : null;
        final Evaluator m0 = models[0];
        if (!deviation) {
            Step st = new Step(nb, f, eatom, vatom, eflagGlobal, eflagAtom, vflagGlobal, vflagAtom, tag, tagBytes,
                    step, own, exchange);
            m0.evaluate(nb, ilist, inum, neighBuilds, st, pool, plans);
        } else {
            // model 0 into its block (forces, per-atom energies), per-atom virials straight to LAMMPS
            Step st = new Step(nb, memberF, memberEatom, vatom, eflagGlobal, true, true, vflagAtom, tag, tagBytes,
                    step, own, exchange);
            m0.evaluate(nb, ilist, inum, neighBuilds, st, pool, plans);
            NativeMemory.addInto(f, memberF, 3L * nall);
            if (eflagAtom) {
                NativeMemory.addInto(eatom, memberEatom, nlocal);
            }
            for (int m = 1; m < models.length; m++) {
                Step sm = new Step(nb, memberF + 24L * memberStride * m, memberEatom + 8L * memberStride * m, 0,
                        false, true, true, false, tag, tagBytes, step, own, exchange);
                models[m].evaluate(nb, ilist, inum, neighBuilds, sm, pool, plans);
            }
            for (int m = 0; m < models.length; m++) {
                for (int k = 0; k < 6; k++) {
                    NativeMemory.addDouble(memberVirial, 6L * m + k, models[m].virial()[k]);
                }
            }
        }
        chunksLast = m0.chunksLast();
        if (eflagGlobal) {
            NativeMemory.addDouble(engVdwl, 0, m0.energy());
        }
        if (vflagGlobal) {
            for (int k = 0; k < 6; k++) {
                NativeMemory.addDouble(virial, k, m0.virial()[k]);
            }
        }
        if (calls > WARMUP_CALLS) {
            heapBytes += THREADS.getCurrentThreadAllocatedBytes() + pool.allocatedBytes(THREADS) - h0;
        }
    }

    /**
     * The local atom each atom is an image of (one rank: every ghost is a periodic image), from
     * the atom IDs; rebuilt when LAMMPS rebuilds its lists (the ghosts change only then).
     */
    private int[] owners(int nlocal, int nall, long tag, int tagBytes, long neighBuilds) {
        if (neighBuilds == ownerBuilds && owner.length >= nall) {
            return owner;
        }
        if (tag == 0) {
            throw new IllegalStateException("pair_style onnx: folding periodic images needs atom IDs, but LAMMPS "
                    + "passed none: remove 'atom_modify id no' or use 'fold no'");
        }
        long maxTag = 0;
        for (int i = 0; i < nlocal; i++) {
            maxTag = Math.max(maxTag, tagOf(tag, tagBytes, i));
        }
        if (maxTag >= Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("pair_style onnx: atom IDs up to " + maxTag + " are too large to fold "
                    + "periodic images: use 'fold no' or renumber the atoms (reset_atoms id)");
        }
        if (localOfTag.length <= maxTag) {
            localOfTag = new int[(int) (maxTag + maxTag / 8 + 16)];
        }
        java.util.Arrays.fill(localOfTag, 0, (int) maxTag + 1, -1);
        for (int i = 0; i < nlocal; i++) {
            localOfTag[(int) tagOf(tag, tagBytes, i)] = i;
        }
        if (owner.length < nall) {
            owner = new int[nall + nall / 8 + 16];
        }
        for (int j = 0; j < nall; j++) {
            long t = tagOf(tag, tagBytes, j);
            int o = t >= 0 && t <= maxTag ? localOfTag[(int) t] : -1;
            if (o < 0) {
                throw new IllegalStateException("pair_style onnx: ghost atom ID " + t + " is not a local atom, so "
                        + "periodic images cannot be folded (more than one MPI rank?): use 'fold no'");
            }
            owner[j] = o;
        }
        ownerBuilds = neighBuilds;
        return owner;
    }

    private static long tagOf(long tag, int tagBytes, int i) {
        return tagBytes == 8 ? NativeMemory.getLong(tag, i) : NativeMemory.getInt(tag, i);
    }

    /** Counters for iph_stats and the interphase-stats line (summed over the models). */
    public PairStats stats() {
        long[] acc = new long[6];
        for (Evaluator m : models) {
            m.addCounters(acc);
        }
        int threads = models.length == 0 ? settings.threads() : models[0].threads();
        long counted = calls - WARMUP_CALLS;
        return new PairStats(calls, acc[0], acc[1], acc[2], acc[3] * 1e-9, acc[4] * 1e-9,
                counted > 0 ? heapBytes / counted : 0, Math.max(0, acc[5] - (long) threads * models.length),
                chunksLast, threads, Math.max(1, models.length), memberCalls);
    }

    private void closeModels() {
        for (Evaluator m : models) {
            m.close();
        }
        models = new Evaluator[0];
    }

    /** Frees the models, buffers and worker threads (idempotent). */
    @Override
    public void close() {
        closeModels();
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}
