package org.interphase.pair;

import java.lang.foreign.Arena;
import org.interphase.graph.ChunkPlan;
import org.interphase.graph.GraphBuilder;
import org.interphase.graph.NativeMemory;
import org.interphase.graph.Neighbors;
import org.interphase.inference.LayeredModel;
import org.interphase.inference.ModelContract;

/**
 * A contract-v2 model (one graph per message-passing layer) in a pair style: node features are
 * exchanged between the layers through the shim, so every layer is strictly local and the
 * ghost shell is one r_max, whatever the number of layers (docs/native-bridge.md, <i>Contract
 * v2</i>).
 *
 * <p>One step, for K layers with feature widths F0..FK, rows indexed by LAMMPS atom index:
 * <ol>
 * <li>h0 = embedding of every atom, local and ghost (types are known for ghosts);</li>
 * <li>for k = 0..K-1: h(k+1) of every local centre from layer k over the chunk graphs (centre
 *     edges only, ghosts as neighbours), then a forward exchange fills the ghost rows;</li>
 * <li>readout of the local centres: atomic energies and g(K) = dE/dh(K);</li>
 * <li>for k = K-1..0: layer k's VJP per chunk, with the centres' rows of g(k+1) as the output
 *     gradient, adds dE/dh(k) into the rows of every node of the chunk (ghosts included) and
 *     dE/dr into the edge forces ({@link EdgeTally}); a reverse exchange adds the ghost rows of
 *     g(k) into their owners (not needed for k = 0: the embedding has no parameters of r).</li>
 * </ol>
 * The energy is a function of the edge vectors only, so the virial is the sum over layers and
 * edges of -r (x) dE/dr, as for contract v1. Worker w evaluates chunks w, w + T, ... of each
 * stage; workers other than 0 add gradients, forces and per-atom virials into private arrays,
 * reduced in worker order, so the result is bitwise reproducible for a given thread count.
 */
final class LayeredEvaluator implements Evaluator {
    private final LayeredModel model;
    private final int[] speciesOfType;
    private final double[] typeCutoff;
    private final LayeredWorker[] workers;
    private final int layers;
    private final int maxWidth;
    private int chunk;
    private long chunksLast;
    private double energy;
    private final double[] virial = new double[6];

    // per-atom rows (double, what the shim exchanges): h[k] = [atoms * Fk]; gradients [atoms * Fmax]
    private Arena arena;
    private long atomCapacity;
    private final long[] h;
    private long gradNext;
    private long gradCur;
    private long embedTypes;
    private long embedOut;
    private long embedBuilds = Long.MIN_VALUE; // neighbor->ncalls when h0 was computed (types change only then)

    LayeredEvaluator(LayeredModel model, int[] speciesOfType, double[] typeCutoff, PairSettings settings) {
        this.model = model;
        this.speciesOfType = speciesOfType;
        this.typeCutoff = typeCutoff;
        ModelContract c = model.contract();
        this.layers = c.layers().count();
        this.maxWidth = c.layers().maxWidth();
        this.h = new long[layers + 1];
        double[] cutsq = ModelEvaluator.squared(typeCutoff);
        this.chunk = settings.autoChunk() ? -1 : settings.chunk();
        this.workers = new LayeredWorker[settings.threads()];
        for (int w = 0; w < workers.length; w++) {
            // hops 1: each layer needs the centres' own edges only; the exchange supplies the rest
            workers[w] = new LayeredWorker(w, model, new GraphBuilder(c.precision(), false, settings.pad(), c.rMax(), 1,
                    speciesOfType, cutsq), speciesOfType, maxWidth);
        }
    }

    @Override
    public ModelContract contract() {
        return model.contract();
    }

    @Override
    public double[] typeCutoff() {
        return typeCutoff.clone();
    }

    @Override
    public int chunk() {
        return chunk;
    }

    @Override
    public int threads() {
        return workers.length;
    }

    @Override
    public int exchangeWidth() {
        return maxWidth;
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

    private void prepare(int nall) {
        if (arena != null && atomCapacity >= nall) {
            return;
        }
        if (arena != null) {
            arena.close();
        }
        atomCapacity = nall + nall / 8 + 16;
        arena = Arena.ofShared();
        embedBuilds = Long.MIN_VALUE;
        ModelContract.Layers l = model.layers();
        for (int k = 0; k <= layers; k++) {
            h[k] = arena.allocate(8L * atomCapacity * l.width(k), 64).address();
        }
        gradNext = arena.allocate(8L * atomCapacity * maxWidth, 64).address();
        gradCur = arena.allocate(8L * atomCapacity * maxWidth, 64).address();
        embedTypes = arena.allocate(8L * atomCapacity, 64).address();
        embedOut = arena.allocate((long) model.contract().precision().bytes() * atomCapacity * l.width(0), 64)
                .address();
    }

    @Override
    public void evaluate(Neighbors nb, long ilist, int inum, long neighBuilds, Step st, ChunkThreads pool,
                         ModelEvaluator.Plans plans) {
        energy = 0;
        java.util.Arrays.fill(virial, 0.0);
        final Exchange exchange = st.exchange();
        if (exchange == null) {
            throw new IllegalStateException("pair_style onnx: a contract-v2 model needs the shim's node-feature "
                    + "exchange, which this plugin did not pass: rebuild the plugin (scripts/build-plugin.sh)");
        }
        final ModelContract.Layers l = model.layers();
        final int nall = nb.nall();
        Throwable failure = null;
        ChunkPlan plan = null;
        try {
            prepare(nall);
            if (chunk < 0) {
                ModelContract mc = model.contract();
                ChunkPlan whole = plans.forChunk(0);
                whole.update(nb, ilist, inum, neighBuilds, speciesOfType, 0, workers.length);
                chunk = PairKeywords.autoChunk(1, mc.activationBytesPerEdge(), whole.meanNeighbours(), workers.length);
            }
            plan = plans.forChunk(chunk);
            plan.update(nb, ilist, inum, neighBuilds, speciesOfType, chunk, workers.length);
            if (neighBuilds != embedBuilds) {
                embedBuilds = Long.MIN_VALUE;
                embed(nb);
                embedBuilds = neighBuilds;
            }
        } catch (Throwable t) {
            failure = t;
        }
        final ChunkPlan p = plan;
        final int runs = p == null || p.count() == 0 ? 0 : p.chunks();
        chunksLast = (long) runs * (2L * layers + 1) + 1;
        final int threads = workers.length;
        for (LayeredWorker w : workers) {
            w.beginStep(st, nall);
        }
        // forward through the layers; ghost rows of each output come from their owners
        for (int k = 0; k < layers; k++) {
            final int layer = k;
            if (failure == null && runs > 0) {
                pool.run(w -> workers[w].forward(layer, st, p, threads, h[layer], h[layer + 1]));
                failure = firstFailure();
            }
            exchange.run(true, h[k + 1], l.width(k + 1), failure);
        }
        // readout, then backward through the layers
        final int wk = l.width(layers);
        if (failure == null) {
            NativeMemory.ALL.asSlice(gradNext, 8L * nall * wk).fill((byte) 0);
            if (runs > 0) {
                pool.run(w -> workers[w].readout(st, p, threads, h[layers], gradNext));
                failure = firstFailure();
            }
        }
        // every rank makes every exchange, also after a failure (which the exchange then reports)
        for (int k = layers - 1; k >= 0; k--) {
            final int layer = k;
            final int width = l.width(k);
            if (failure == null) {
                NativeMemory.ALL.asSlice(gradCur, 8L * nall * width).fill((byte) 0);
            }
            if (failure == null && runs > 0) {
                final long gNext = gradNext;
                final long gCur = gradCur;
                pool.run(w -> workers[w].backward(layer, st, p, threads, h[layer], gNext, gCur));
                failure = firstFailure();
                if (failure == null) {
                    for (LayeredWorker w : workers) {
                        w.reduceGradient(gCur, 8L * nall * width);
                    }
                }
            }
            if (k > 0) {
                exchange.run(false, gradCur, width, failure);
            }
            long swap = gradNext;
            gradNext = gradCur;
            gradCur = swap;
        }
        if (failure != null) {
            Exchange.rethrow(failure);
        }
        for (LayeredWorker w : workers) {
            w.reduceInto(st);
            energy += w.energy;
            for (int c = 0; c < 6; c++) {
                virial[c] += w.virial[c];
            }
        }
    }

    /**
     * h0 for every atom (local and ghost) from its type; atoms of unmapped types get species 0 (no
     * edges). Kept until LAMMPS rebuilds its lists: atoms and their order change only then.
     */
    private void embed(Neighbors nb) throws Exception {
        final int nall = nb.nall();
        if (nall == 0) {
            return;
        }
        for (int i = 0; i < nall; i++) {
            int t = NativeMemory.getInt(nb.type(), i);
            int s = t >= 1 && t < speciesOfType.length ? speciesOfType[t] : -1;
            NativeMemory.setLong(embedTypes, i, Math.max(s, 0));
        }
        final int w0 = model.layers().width(0);
        model.embed(NativeMemory.ALL.asSlice(embedTypes, 8L * nall), nall,
                NativeMemory.ALL.asSlice(embedOut, (long) model.contract().precision().bytes() * nall * w0));
        LayeredWorker.toDouble(embedOut, model.contract().precision(), h[0], (long) nall * w0);
    }

    private Throwable firstFailure() {
        LayeredWorker failed = null;
        for (LayeredWorker w : workers) {
            if (w.error != null && (failed == null || w.errorChunk < failed.errorChunk)) {
                failed = w;
            }
        }
        return failed == null ? null : failed.error;
    }

    @Override
    public void addCounters(long[] acc) {
        for (LayeredWorker w : workers) {
            acc[0] += w.nodesLast;
            acc[1] += w.edgesLast;
            acc[2] += w.bufferBytes();
            acc[3] += w.bridgeNanos;
            acc[4] += w.onnxNanos;
            acc[5] += 1;
        }
        acc[2] += arena == null ? 0 : atomCapacity * 8L * (2L * maxWidth + 2);
    }

    @Override
    public void close() {
        for (LayeredWorker w : workers) {
            w.close();
        }
        if (arena != null) {
            arena.close();
            arena = null;
        }
        model.close();
    }
}
