package org.interphase.pair;

import ai.onnxruntime.OrtException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.interphase.graph.ChunkPlan;
import org.interphase.graph.GraphBuilder;
import org.interphase.graph.NativeMemory;
import org.interphase.graph.Precision;
import org.interphase.inference.LayeredModel;
import org.interphase.inference.OrtMessages;

/**
 * One worker of a {@link LayeredEvaluator}: its own chunk graph and stage buffers (model
 * precision, rows = graph nodes), and its own accumulators. Worker w evaluates chunks w, w + T,
 * ... of each stage. Worker 0 adds gradients, forces and per-atom virials straight into the
 * shared arrays; the others add into private arrays that are reduced in worker order.
 */
final class LayeredWorker implements AutoCloseable {
    private final int index;
    private final LayeredModel model;
    private final GraphBuilder graph;
    private final int maxWidth;
    private final Precision precision;
    private final int[] speciesOfType;

    // stage buffers, [nodeCapacity * maxWidth] in model precision (types: int64, energy: [nodeCapacity])
    private Arena stageArena;
    private long nodeCapacity;
    private long hIn;
    private long out;
    private long gOut;
    private long gIn;
    private long types;
    private long energies;

    // forces, per-atom virials and gradient rows: LAMMPS's / the shared ones for worker 0, private otherwise
    private final ForceTargets targets;

    // per step
    private Step step;
    private int nall;
    double energy;
    final double[] virial = new double[6];
    Throwable error;
    int errorChunk;

    long onnxNanos;
    long bridgeNanos;
    long nodesLast;
    long edgesLast;

    LayeredWorker(int index, LayeredModel model, GraphBuilder graph, int[] speciesOfType, int maxWidth) {
        this.index = index;
        this.speciesOfType = speciesOfType.clone();
        this.model = model;
        this.graph = graph;
        this.maxWidth = maxWidth;
        this.precision = model.contract().precision();
        this.targets = new ForceTargets(index == 0, maxWidth);
    }

    long bufferBytes() {
        return graph.buffers().bytes() + nodeCapacity * (4L * maxWidth * precision.bytes() + 8 + precision.bytes())
                + targets.bytes();
    }

    /** Zeroes the accumulators and points the force targets at LAMMPS's arrays (worker 0) or private ones. */
    void beginStep(Step st, int atoms) {
        step = st;
        nall = atoms;
        energy = 0;
        java.util.Arrays.fill(virial, 0.0);
        error = null;
        errorChunk = Integer.MAX_VALUE;
        nodesLast = 0;
        edgesLast = 0;
        targets.prepare(st);
    }

    private void ensure(long nodes) {
        if (stageArena != null && nodeCapacity >= nodes) {
            return;
        }
        if (stageArena != null) {
            stageArena.close();
        }
        nodeCapacity = Math.max(16, nodes + nodes / 8);
        stageArena = Arena.ofShared();
        long rows = nodeCapacity * maxWidth * precision.bytes();
        hIn = stageArena.allocate(rows, 64).address();
        out = stageArena.allocate(rows, 64).address();
        gOut = stageArena.allocate(rows, 64).address();
        gIn = stageArena.allocate(rows, 64).address();
        types = stageArena.allocate(8L * nodeCapacity, 64).address();
        energies = stageArena.allocate((long) precision.bytes() * nodeCapacity, 64).address();
    }

    private MemorySegment seg(long address, long values) {
        return NativeMemory.ALL.asSlice(address, values * precision.bytes());
    }

    /** Layer k forward over this worker's chunks: h(k+1) rows of their centres. */
    void forward(int layer, Step st, ChunkPlan plan, int threads, long hRows, long hNext) {
        final long t0 = System.nanoTime();
        long onnx = 0;
        final int wIn = model.layers().width(layer);
        final int wOut = model.layers().width(layer + 1);
        int k = index;
        try {
            graph.beginStep(Math.max(1, plan.chunks() / threads + 1));
            for (; k < plan.chunks(); k += threads) {
                if (plan.start(k + 1) == plan.start(k)) {
                    continue;
                }
                graph.build(st.nb(), plan.centres(), plan.start(k), plan.start(k + 1), null);
                ensure(graph.nodes());
                gatherNodes(hRows, wIn, hIn, graph.realNodes(), graph.nodes());
                long t1 = System.nanoTime();
                model.forward(layer, graph, seg(hIn, (long) graph.nodes() * wIn), seg(out, (long) graph.nodes() * wOut));
                onnx += System.nanoTime() - t1;
                nodesLast = Math.max(nodesLast, graph.nodes());
                edgesLast = Math.max(edgesLast, graph.edges());
                final int own = graph.ownCentres();
                for (int c = 0; c < own; c++) {
                    copyRow(out, c, hNext, graph.nodeAtom(c), wOut);
                }
            }
        } catch (Throwable t) {
            fail(t, k, layer, "forward");
        } finally {
            onnxNanos += onnx;
            bridgeNanos += System.nanoTime() - t0 - onnx;
        }
    }

    /** Readout of this worker's chunks' centres: energies, and dE/dh(K) into their rows of gradNext. */
    void readout(Step st, ChunkPlan plan, int threads, long hRows, long gradNext) {
        final long t0 = System.nanoTime();
        long onnx = 0;
        final int w = model.layers().width(model.layers().count());
        final int[] centres = plan.centres();
        int k = index;
        try {
            for (; k < plan.chunks(); k += threads) {
                final int from = plan.start(k);
                final int n = plan.start(k + 1) - from;
                if (n == 0) {
                    continue;
                }
                ensure(n);
                final long type = st.nb().type();
                for (int c = 0; c < n; c++) {
                    int atom = centres[from + c];
                    int s = speciesOf(NativeMemory.getInt(type, atom));
                    NativeMemory.setLong(types, c, s);
                    loadRow(hRows, atom, hIn, c, w);
                }
                long t1 = System.nanoTime();
                model.readout(seg(hIn, (long) n * w), NativeMemory.ALL.asSlice(types, 8L * n), n, seg(energies, n),
                        seg(gIn, (long) n * w));
                onnx += System.nanoTime() - t1;
                double sum = 0;
                for (int c = 0; c < n; c++) {
                    int atom = centres[from + c];
                    double e = get(energies, c);
                    if (!Double.isFinite(e)) {
                        throw new NonFiniteOutputException("model output has NaN/Inf at step " + st.step()
                                + " (atomic energy of atom " + st.describe(atom) + "): atoms too close or outside the "
                                + "training domain; check the structure / timestep");
                    }
                    sum += e;
                    if (st.eflagAtom()) {
                        NativeMemory.addDouble(st.eatom(), atom, e);
                    }
                    copyRow(gIn, c, gradNext, atom, w);
                }
                energy += sum;
            }
        } catch (Throwable t) {
            fail(t, k, -1, "readout");
        } finally {
            onnxNanos += onnx;
            bridgeNanos += System.nanoTime() - t0 - onnx;
        }
    }

    /** Layer k VJP over this worker's chunks: dE/dh(k) into gCur (or the private copy), dE/dr into forces. */
    void backward(int layer, Step st, ChunkPlan plan, int threads, long hRows, long gNext, long gCur) {
        final long t0 = System.nanoTime();
        long onnx = 0;
        final int wIn = model.layers().width(layer);
        final int wOut = model.layers().width(layer + 1);
        final long gTarget = targets.rows(gCur);
        int k = index;
        try {
            if (gTarget != gCur) {
                NativeMemory.ALL.asSlice(gTarget, 8L * nall * wIn).fill((byte) 0);
            }
            for (; k < plan.chunks(); k += threads) {
                if (plan.start(k + 1) == plan.start(k)) {
                    continue;
                }
                graph.build(st.nb(), plan.centres(), plan.start(k), plan.start(k + 1), null);
                ensure(graph.nodes());
                final int real = graph.realNodes();
                final int nodes = graph.nodes();
                final int own = graph.ownCentres();
                gatherNodes(hRows, wIn, hIn, real, nodes);
                // the output gradient: the centres' rows (their outputs are exact); the other nodes' rows are 0
                gatherNodes(gNext, wOut, gOut, own, nodes);
                long t1 = System.nanoTime();
                model.vjp(layer, graph, seg(hIn, (long) nodes * wIn), seg(gOut, (long) nodes * wOut),
                        seg(gIn, (long) nodes * wIn));
                onnx += System.nanoTime() - t1;
                for (int n = 0; n < real; n++) {
                    addRow(gIn, n, gTarget, graph.nodeAtom(n), wIn);
                }
                checkEdges(st, layer);
                EdgeTally.add(graph, st.nb().x(), targets.f, targets.vatom, st.vflag() || targets.vatom != 0, virial);
            }
        } catch (Throwable t) {
            fail(t, k, layer, "VJP");
        } finally {
            onnxNanos += onnx;
            bridgeNanos += System.nanoTime() - t0 - onnx;
        }
    }

    /** Adds this (non-zero) worker's private gradient rows into gCur. */
    void reduceGradient(long gCur, long bytes) {
        long mine = targets.rows(gCur);
        if (mine != gCur) {
            NativeMemory.addInto(gCur, mine, bytes / 8);
        }
    }

    /** Adds this (non-zero) worker's private forces and per-atom virials to LAMMPS's arrays. */
    void reduceInto(Step st) {
        targets.reduceInto(st);
    }

    private void fail(Throwable t, int chunk, int layer, String stage) {
        if (t instanceof OrtException e) {
            t = new IllegalStateException("ONNX Runtime failed at step " + step.step() + " in the "
                    + (layer >= 0 ? "layer " + layer + " " : "") + stage + " graph: " + OrtMessages.reason(e.getMessage()));
        }
        error = t;
        errorChunk = chunk;
    }

    private void checkEdges(Step st, int layer) {
        final long ef = graph.buffers().edgeForces().address();
        final int ne = graph.realEdges();
        boolean finite = true;
        for (long v = 0; v < 3L * ne; v++) {
            finite &= Math.abs(get(ef, v)) <= Double.MAX_VALUE;
        }
        if (finite) {
            return;
        }
        for (int e = 0; e < ne; e++) {
            if (!(Double.isFinite(get(ef, 3L * e)) && Double.isFinite(get(ef, 3L * e + 1))
                    && Double.isFinite(get(ef, 3L * e + 2)))) {
                throw new NonFiniteOutputException("model output has NaN/Inf at step " + st.step() + " (layer " + layer
                        + ", edge force between atoms " + st.describe(graph.edgeCentre(e)) + " and "
                        + st.describe(graph.edgeNeighbor(e)) + "): atoms too close or outside the training domain; "
                        + "check the structure / timestep");
            }
        }
    }

    private int speciesOf(int type) {
        int s = type >= 1 && type < speciesOfType.length ? speciesOfType[type] : -1;
        return Math.max(s, 0);
    }

    /** Rows of the first `real` nodes from the per-atom array (double) into dst (model precision); the rest 0. */
    private void gatherNodes(long rows, int width, long dst, int real, int nodes) {
        for (int n = 0; n < real; n++) {
            loadRow(rows, graph.nodeAtom(n), dst, n, width);
        }
        NativeMemory.ALL.asSlice(dst + (long) real * width * precision.bytes(),
                (long) (nodes - real) * width * precision.bytes()).fill((byte) 0);
    }

    private void loadRow(long rows, int atom, long dst, int node, int width) {
        final long src = rows + 8L * atom * width;
        final long base = (long) node * width;
        if (precision == Precision.FLOAT64) {
            MemorySegment.copy(NativeMemory.ALL, src, NativeMemory.ALL, dst + 8 * base, 8L * width);
        } else {
            for (int c = 0; c < width; c++) {
                NativeMemory.setFloat(dst, base + c, (float) NativeMemory.getDouble(src, c));
            }
        }
    }

    private void copyRow(long src, int node, long rows, int atom, int width) {
        final long base = (long) node * width;
        final long d = rows + 8L * atom * width;
        for (int c = 0; c < width; c++) {
            NativeMemory.setDouble(d, c, get(src, base + c));
        }
    }

    private void addRow(long src, int node, long rows, int atom, int width) {
        final long base = (long) node * width;
        final long d = rows + 8L * atom * width;
        for (int c = 0; c < width; c++) {
            NativeMemory.addDouble(d, c, get(src, base + c));
        }
    }

    private double get(long address, long k) {
        return precision == Precision.FLOAT64 ? NativeMemory.getDouble(address, k) : NativeMemory.getFloat(address, k);
    }

    /** Converts n values of model precision at src to doubles at dst. */
    static void toDouble(long src, Precision p, long dst, long n) {
        for (long k = 0; k < n; k++) {
            NativeMemory.setDouble(dst, k, p == Precision.FLOAT64 ? NativeMemory.getDouble(src, k)
                    : NativeMemory.getFloat(src, k));
        }
    }

    /** Frees the buffers (idempotent). */
    @Override
    public void close() {
        graph.close();
        if (stageArena != null) {
            stageArena.close();
            stageArena = null;
        }
        targets.close();
        nodeCapacity = 0;
    }
}
