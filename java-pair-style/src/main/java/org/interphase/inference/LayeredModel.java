package org.interphase.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.interphase.graph.GraphBuffers;
import org.interphase.graph.GraphBuilder;
import org.interphase.graph.Precision;

/**
 * The sessions of a contract-v2 model (docs/model-contract.md, <i>Contract v2</i>): its manifest
 * (the embedding graph, an {@link OnnxPotential}), one forward and one vector-Jacobian-product
 * graph per message-passing layer, and the readout. Opening checks every stage file: it exists,
 * and its inputs and outputs have the names, types and feature widths the manifest declares.
 *
 * <p>The run methods take the caller's buffers (direct memory in the model's precision, row i =
 * graph node i) and write the outputs into the caller's buffers; the graph's edge tensors come
 * from a {@link GraphBuilder}'s buffers. Every session allows concurrent runs, so the workers of
 * a pair style share one LayeredModel.
 */
public final class LayeredModel implements AutoCloseable {
    public static final String NODE_FEATURES = ModelContract.NODE_FEATURES;
    public static final String NODE_FEATURES_OUT = "node_features_out";
    public static final String GRAD_NODE_FEATURES_OUT = "grad_node_features_out";
    public static final String GRAD_NODE_FEATURES = "grad_node_features";

    private final OnnxPotential manifest;
    private final OrtEnvironment env;
    private final OrtSession[] forward;
    private final OrtSession[] vjp;
    private final OrtSession readout;
    private final ModelContract.Layers layers;
    private final Precision precision;
    private boolean closed;

    private LayeredModel(OnnxPotential manifest, OrtSession[] forward, OrtSession[] vjp, OrtSession readout) {
        this.manifest = manifest;
        this.env = manifest.env();
        this.forward = forward;
        this.vjp = vjp;
        this.readout = readout;
        this.layers = manifest.contract().layers();
        this.precision = manifest.contract().precision();
    }

    /**
     * Opens the stage graphs of a contract-v2 manifest (which this object then owns).
     *
     * @param manifestPath the manifest's path; the stage files are looked up in its folder
     * @throws ModelContractException naming the missing or mismatched stage and the fix
     */
    public static LayeredModel open(OnnxPotential manifest, Path manifestPath, InferenceSettings settings) {
        ModelContract c = manifest.contract();
        ModelContract.Layers l = c.layers();
        if (l == null) {
            throw new IllegalArgumentException(c.fileName() + " is not a contract-v2 model");
        }
        Path dir = manifestPath.toAbsolutePath().getParent();
        List<OrtSession> opened = new ArrayList<>();
        try {
            int k = l.count();
            OrtSession[] fwd = new OrtSession[k];
            OrtSession[] back = new OrtSession[k];
            for (int i = 0; i < k; i++) {
                fwd[i] = stage(manifest, dir.resolve(l.graphFiles().get(2 * i)), "layer " + i, settings, opened);
                expect(c, fwd[i], l.graphFiles().get(2 * i), true, NODE_FEATURES, l.width(i));
                expect(c, fwd[i], l.graphFiles().get(2 * i), false, NODE_FEATURES_OUT, l.width(i + 1));
                back[i] = stage(manifest, dir.resolve(l.graphFiles().get(2 * i + 1)), "layer " + i + " VJP", settings,
                        opened);
                String name = l.graphFiles().get(2 * i + 1);
                expect(c, back[i], name, true, NODE_FEATURES, l.width(i));
                expect(c, back[i], name, true, GRAD_NODE_FEATURES_OUT, l.width(i + 1));
                expect(c, back[i], name, false, GRAD_NODE_FEATURES, l.width(i));
                expect(c, back[i], name, false, ModelContract.EDGE_FORCES, 3);
            }
            OrtSession ro = stage(manifest, dir.resolve(l.readoutFile()), "readout", settings, opened);
            expect(c, ro, l.readoutFile(), true, NODE_FEATURES, l.width(k));
            expect(c, ro, l.readoutFile(), false, GRAD_NODE_FEATURES, l.width(k));
            expect(c, ro, l.readoutFile(), false, ModelContract.ATOMIC_ENERGY, -1);
            expect(c, manifest.session(), c.fileName(), false, NODE_FEATURES, l.width(0));
            return new LayeredModel(manifest, fwd, back, ro);
        } catch (RuntimeException | Error e) {
            for (OrtSession s : opened) {
                try {
                    s.close();
                } catch (OrtException ignored) {
                    // the first error is the one to report
                }
            }
            throw e;
        }
    }

    private static OrtSession stage(OnnxPotential manifest, Path file, String what, InferenceSettings settings,
                                    List<OrtSession> opened) {
        String m = manifest.contract().fileName();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ModelContractException("model " + m + " (contract v2) needs its " + what + " graph " + file
                    + ", which is missing or unreadable: keep the files interphase-export --contract 2 wrote next to "
                    + "the manifest together");
        }
        OrtSession s = OnnxPotential.createSession(manifest.env(), file, file.getFileName().toString(), settings);
        opened.add(s);
        return s;
    }

    /** Checks one input or output of a stage: present, of the model's float type, with the declared width. */
    private static void expect(ModelContract c, OrtSession s, String file, boolean input, String name, int width) {
        String fix = "re-export the model with interphase-export --contract 2 and keep its files together";
        Map<String, NodeInfo> io;
        try {
            io = input ? s.getInputInfo() : s.getOutputInfo();
        } catch (OrtException e) {
            throw new ModelContractException("model " + c.fileName() + ": cannot read the inputs/outputs of " + file
                    + " (" + OrtMessages.reason(e.getMessage()) + "): " + fix);
        }
        NodeInfo node = io.get(name);
        String kind = input ? "input" : "output";
        if (node == null || !(node.getInfo() instanceof TensorInfo t)) {
            throw new ModelContractException("model " + c.fileName() + ": " + file + " has no " + kind + " '" + name
                    + "': " + fix);
        }
        TensorInfo.OnnxTensorType want = c.precision() == Precision.FLOAT64
                ? TensorInfo.OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE
                : TensorInfo.OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT;
        if (t.onnxType != want) {
            throw new ModelContractException("model " + c.fileName() + ": " + kind + " '" + name + "' of " + file
                    + " is " + t.onnxType + " but the manifest's node_features are " + c.precision() + ": " + fix);
        }
        if (width > 0) {
            long[] shape = t.getShape();
            long got = shape.length == 2 ? shape[1] : -1;
            if (got != width) {
                throw new ModelContractException("model " + c.fileName() + ": " + kind + " '" + name + "' of " + file
                        + " has " + (got < 0 ? "no static feature width" : got + " features per atom") + " but the "
                        + "manifest's " + ModelContract.KEY_FEATURE_WIDTHS + " say " + width
                        + " (its layers disagree in feature width): " + fix);
            }
        }
    }

    public ModelContract contract() {
        return manifest.contract();
    }

    public ModelContract.Layers layers() {
        return layers;
    }

    /** Embedding: atom_types [n] (int64) -&gt; node_features [n, F0] into {@code out}. */
    public void embed(MemorySegment types, long n, MemorySegment out) throws OrtException {
        List<OnnxTensor> t = new ArrayList<>(2);
        try {
            Map<String, OnnxTensor> in = Map.of(ModelContract.ATOM_TYPES, longs(t, types, n, new long[] {n}));
            Map<String, OnnxTensor> o = Map.of(NODE_FEATURES, floats(t, out, n * layers.width(0), new long[] {n,
                    layers.width(0)}));
            manifest.session().run(in, o).close();
        } finally {
            t.forEach(OnnxTensor::close);
        }
    }

    /** Layer k forward over the graph's nodes and edges: node_features h [nodes, Fk] -&gt; out [nodes, Fk+1]. */
    public void forward(int k, GraphBuilder g, MemorySegment h, MemorySegment out) throws OrtException {
        List<OnnxTensor> t = new ArrayList<>(5);
        try {
            Map<String, OnnxTensor> in = edgeInputs(t, g, h, layers.width(k));
            long n = g.nodes();
            Map<String, OnnxTensor> o = Map.of(NODE_FEATURES_OUT,
                    floats(t, out, n * layers.width(k + 1), new long[] {n, layers.width(k + 1)}));
            forward[k].run(in, o).close();
        } finally {
            t.forEach(OnnxTensor::close);
        }
    }

    /**
     * Layer k backward: with the gradient of the energy with respect to its output rows
     * ({@code gradOut} [nodes, Fk+1]), the gradient with respect to its input rows into
     * {@code gradIn} [nodes, Fk] and with respect to the edge vectors into the graph's edge_forces.
     */
    public void vjp(int k, GraphBuilder g, MemorySegment h, MemorySegment gradOut, MemorySegment gradIn)
            throws OrtException {
        List<OnnxTensor> t = new ArrayList<>(7);
        try {
            Map<String, OnnxTensor> in = edgeInputs(t, g, h, layers.width(k));
            long n = g.nodes();
            long e = g.edges();
            in.put(GRAD_NODE_FEATURES_OUT, floats(t, gradOut, n * layers.width(k + 1), new long[] {n,
                    layers.width(k + 1)}));
            Map<String, OnnxTensor> o = new HashMap<>(4);
            o.put(GRAD_NODE_FEATURES, floats(t, gradIn, n * layers.width(k), new long[] {n, layers.width(k)}));
            o.put(ModelContract.EDGE_FORCES, floats(t, g.buffers().edgeForces(), 3 * e, new long[] {e, 3}));
            vjp[k].run(in, o).close();
        } finally {
            t.forEach(OnnxTensor::close);
        }
    }

    /** Readout of n nodes: h [n, FK], atom_types [n] -&gt; atomic_energy [n] and d(sum e)/dh [n, FK]. */
    public void readout(MemorySegment h, MemorySegment types, long n, MemorySegment energy, MemorySegment grad)
            throws OrtException {
        int w = layers.width(layers.count());
        List<OnnxTensor> t = new ArrayList<>(4);
        try {
            Map<String, OnnxTensor> in = new HashMap<>(4);
            in.put(NODE_FEATURES, floats(t, h, n * w, new long[] {n, w}));
            in.put(ModelContract.ATOM_TYPES, longs(t, types, n, new long[] {n}));
            Map<String, OnnxTensor> o = new HashMap<>(4);
            o.put(ModelContract.ATOMIC_ENERGY, floats(t, energy, n, new long[] {n}));
            o.put(GRAD_NODE_FEATURES, floats(t, grad, n * w, new long[] {n, w}));
            readout.run(in, o).close();
        } finally {
            t.forEach(OnnxTensor::close);
        }
    }

    private Map<String, OnnxTensor> edgeInputs(List<OnnxTensor> t, GraphBuilder g, MemorySegment h, int width)
            throws OrtException {
        GraphBuffers b = g.buffers();
        long n = g.nodes();
        long e = g.edges();
        Map<String, OnnxTensor> in = new HashMap<>(8);
        in.put(NODE_FEATURES, floats(t, h, n * width, new long[] {n, width}));
        in.put(ModelContract.EDGE_VECTORS, floats(t, b.edgeVectors(), 3 * e, new long[] {e, 3}));
        in.put(ModelContract.EDGE_INDEX, longs(t, b.edgeIndex(), 2 * e, new long[] {2, e}));
        in.put(ModelContract.ATOM_TYPES, longs(t, b.atomTypes(), n, new long[] {n}));
        return in;
    }

    private OnnxTensor floats(List<OnnxTensor> owned, MemorySegment seg, long count, long[] shape) throws OrtException {
        OnnxTensor t = OnnxPotential.floatTensor(env, seg, precision, count, shape);
        owned.add(t);
        return t;
    }

    private OnnxTensor longs(List<OnnxTensor> owned, MemorySegment seg, long count, long[] shape) throws OrtException {
        OnnxTensor t = OnnxTensor.createTensor(env, OnnxPotential.bytes(seg, 8 * count).asLongBuffer(), shape);
        owned.add(t);
        return t;
    }

    /** Closes every stage session and the manifest (idempotent). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<OrtSession> all = new ArrayList<>(List.of(forward));
        all.addAll(List.of(vjp));
        all.add(readout);
        for (OrtSession s : all) {
            try {
                s.close();
            } catch (OrtException ignored) {
                // closing frees native memory only; nothing to report
            }
        }
        manifest.close();
    }
}
