package org.interphase.descriptors;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.interphase.graph.Precision;
import org.interphase.inference.ModelContract;
import org.interphase.inference.ModelContractException;
import org.interphase.io.Frame;
import org.interphase.io.InputException;
import org.interphase.neighbors.CellList;

/**
 * The potential's own per-atom latent features: the optional {@code node_latent} output [N, F] of a
 * contract-v1 ONNX model written by {@code interphase-export} (for Allegro, each atom's sum of the
 * final edge latents; for NequIP, the scalar channels of the last layer; see
 * {@code interphase.node_latent_source} in the model's metadata). They are invariant under rotation and
 * translation, like SOAP, but learned for this chemistry.
 *
 * <p>A frame is one model evaluation on the periodic graph: every atom is a centre, edges are all pairs
 * within r_max (or the model's per-edge-type cutoff) under the minimum image from the cell list, and
 * for message-passing models {@code node_energy_mask} is all ones (no ghosts). The model's species, r_max,
 * per-edge-type cutoffs, precision and mask come from {@link ModelContract#validate}; only the node_latent output
 * and its width are checked here. The session is owned: close it.
 */
public final class LatentFeatures implements FrameDescriptor, AutoCloseable {
    /** Name of the optional output in the ONNX contract. */
    public static final String OUTPUT = "node_latent";
    /** Metadata key of the output's width F. */
    static final String KEY_WIDTH = "interphase.node_latent";

    private final Path path;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<String> species;
    private final double[] pairCutoff2; // [S*S] squared (r_max where the model has no per-edge-type cutoff)
    private final int width;
    private final boolean float32;
    private final boolean withMask;
    private final DescriptorLayout layout;

    /**
     * Opens a model.
     *
     * One ONNX Runtime thread ({@link org.interphase.inference.OnnxPotential#INTRA_OP_THREADS}: its
     * ScatterND sums are not thread-safe), so the features do not depend on {@code --threads}.
     *
     * @param model ONNX file with a {@code node_latent} output
     * @throws InputException for a missing, unreadable or non-ONNX file, or one without node_latent
     */
    public LatentFeatures(Path model) {
        this.path = model;
        if (!Files.isRegularFile(model) || !Files.isReadable(model)) {
            throw new InputException("latent model " + model + " is not a readable file: pass an ONNX model exported by "
                    + "interphase-export, e.g. --latent models/li-p-s-cl-allegro.f64.onnx");
        }
        try {
            if (Files.size(model) == 0) {
                throw new InputException("latent model " + model + " is empty (0 bytes): pass an ONNX model exported by "
                        + "interphase-export, e.g. --latent models/li-p-s-cl-allegro.f64.onnx");
            }
        } catch (java.io.IOException e) {
            throw new InputException("latent model " + model + " cannot be read: " + org.interphase.io.Messages.ioCause(e)
                    + ": pass a readable ONNX model");
        }
        this.env = org.interphase.inference.OnnxPotential.environment();
        OrtSession s;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(org.interphase.inference.OnnxPotential.INTRA_OP_THREADS);
            options.setInterOpNumThreads(1);
            s = env.createSession(model.toString(), options);
        } catch (OrtException e) {
            throw new InputException("latent model " + model.getFileName() + " is not a valid ONNX model ("
                    + firstLine(e.getMessage()) + "): pass an ONNX model exported by interphase-export");
        }
        this.session = s;
        try {
            Map<String, String> meta = s.getMetadata().getCustomMetadata();
            Map<String, NodeInfo> outputs = s.getOutputInfo();
            if (!outputs.containsKey(OUTPUT) || !meta.containsKey(KEY_WIDTH)) {
                throw new InputException("model " + model.getFileName() + " has no " + OUTPUT + " output: re-export it with "
                        + "interphase-export (node_latent is written unless --no-latent is given)");
            }
            ModelContract contract = ModelContract.validate(model.getFileName().toString(), meta, s.getInputInfo(), outputs);
            this.species = contract.species();
            this.width = latentWidth(model, meta.get(KEY_WIDTH));
            int ns = species.size();
            this.pairCutoff2 = new double[ns * ns];
            for (int a = 0; a < ns; a++) {
                for (int b = 0; b < ns; b++) pairCutoff2[a * ns + b] = contract.cutoff(a, b) * contract.cutoff(a, b);
            }
            this.float32 = contract.precision() == Precision.FLOAT32;
            this.withMask = contract.hasMask();
            this.layout = new DescriptorLayout("latent", latentNames(width), FeatureGroup.LATENT, contract.rMax());
        } catch (OrtException | RuntimeException e) {
            closeQuietly();
            if (e instanceof InputException ie) throw ie;
            if (e instanceof ModelContractException mc) throw new InputException(mc.getMessage());
            throw new InputException("latent model " + model.getFileName() + " cannot be read (" + firstLine(String.valueOf(e.getMessage()))
                    + "): pass an ONNX model exported by interphase-export");
        }
    }

    /**
     * Opens a model and checks that it knows every element; the session is closed again when it does not.
     *
     * @throws InputException as {@link #LatentFeatures(Path)} and {@link #requireElements}
     */
    public static LatentFeatures forElements(Path model, List<String> elements) {
        LatentFeatures lf = new LatentFeatures(model);
        try {
            lf.requireElements(new LinkedHashSet<>(elements));
        } catch (RuntimeException e) {
            lf.close();
            throw e;
        }
        return lf;
    }

    /** The node_latent width F from the metadata: a positive integer. */
    private static int latentWidth(Path model, String text) {
        int w;
        try {
            w = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            w = 0;
        }
        if (w < 1) {
            throw new InputException("model " + model.getFileName() + " has metadata '" + KEY_WIDTH + "' = '" + text
                    + "', expected the number of latent features (an integer >= 1): re-export it with interphase-export");
        }
        return w;
    }

    /** Feature names latent_0 ... latent_{F-1}. */
    private static List<String> latentNames(int width) {
        List<String> names = new ArrayList<>(width);
        for (int k = 0; k < width; k++) names.add("latent_" + k);
        return names;
    }

    /** Width F of node_latent, group LATENT, cutoff the model's r_max. */
    @Override
    public DescriptorLayout layout() {
        return layout;
    }

    /** The model's species, in its type order. */
    public List<String> species() {
        return species;
    }

    /** Fails with a clear message when the model does not know one of the elements. */
    public void requireElements(Set<String> elements) {
        List<String> missing = elements.stream().filter(e -> !species.contains(e)).sorted().toList();
        if (!missing.isEmpty()) {
            throw new InputException("latent model " + path.getFileName() + " knows species " + species + " but the trajectory has "
                    + missing + ": use a model trained on these elements, or leave out --latent");
        }
    }

    @Override
    public void computeFrame(Frame frame, CellList cells, double[] out, int stride, int offset) {
        int n = frame.size();
        if (n == 0) return;
        long[] types = new long[n];
        for (int i = 0; i < n; i++) {
            int t = species.indexOf(frame.elements()[i]);
            if (t < 0) requireElements(Set.of(frame.elements()[i]));
            types[i] = t;
        }
        // edges: every centre, all neighbours within the (per-type-pair) cutoff, r_j - r_i
        int ns = species.size();
        EdgeList edges = new EdgeList(Math.max(16, n * 32));
        for (int i = 0; i < n; i++) {
            final int centre = i;
            final int ti = (int) types[i];
            cells.forEachNeighbor(i, (j, dx, dy, dz, r2) -> {
                if (r2 < pairCutoff2[ti * ns + (int) types[j]]) edges.add(centre, j, dx, dy, dz);
            });
        }
        int e = edges.size;
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            long[] index = new long[2 * e];
            System.arraycopy(edges.src, 0, index, 0, e);
            System.arraycopy(edges.dst, 0, index, e, e);
            inputs.put("edge_index", OnnxTensor.createTensor(env, LongBuffer.wrap(index), new long[] {2, e}));
            inputs.put("atom_types", OnnxTensor.createTensor(env, LongBuffer.wrap(types), new long[] {n}));
            double[] vec = Arrays.copyOf(edges.vec, 3 * e);
            if (float32) {
                float[] v = new float[vec.length];
                for (int k = 0; k < v.length; k++) v[k] = (float) vec[k];
                inputs.put("edge_vectors", OnnxTensor.createTensor(env, FloatBuffer.wrap(v), new long[] {e, 3}));
                if (withMask) {
                    float[] mask = new float[n];
                    Arrays.fill(mask, 1f);
                    inputs.put("node_energy_mask", OnnxTensor.createTensor(env, FloatBuffer.wrap(mask), new long[] {n}));
                }
            } else {
                inputs.put("edge_vectors", OnnxTensor.createTensor(env, DoubleBuffer.wrap(vec), new long[] {e, 3}));
                if (withMask) {
                    double[] mask = new double[n];
                    Arrays.fill(mask, 1.0);
                    inputs.put("node_energy_mask", OnnxTensor.createTensor(env, DoubleBuffer.wrap(mask), new long[] {n}));
                }
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(OUTPUT))) {
                Optional<OnnxValue> v = result.get(OUTPUT);
                if (v.isEmpty()) throw new IllegalStateException("no " + OUTPUT + " in the result");
                OnnxTensor t = (OnnxTensor) v.get();
                if (float32) {
                    FloatBuffer b = t.getFloatBuffer();
                    for (int i = 0; i < n; i++) {
                        for (int k = 0; k < width; k++) out[i * stride + offset + k] = b.get(i * width + k);
                    }
                } else {
                    DoubleBuffer b = t.getDoubleBuffer();
                    for (int i = 0; i < n; i++) {
                        for (int k = 0; k < width; k++) out[i * stride + offset + k] = b.get(i * width + k);
                    }
                }
            }
        } catch (OrtException ex) {
            throw new InputException("latent model " + path.getFileName() + " failed on step " + frame.step() + " ("
                    + firstLine(ex.getMessage()) + "): check that the model matches the trajectory's elements and units (A)");
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            session.close();
        } catch (OrtException ignored) {
            // nothing to recover at close
        }
    }

    /** ONNX Runtime's reason on one line ({@link org.interphase.inference.OrtMessages#reason}). */
    static String firstLine(String s) {
        return org.interphase.inference.OrtMessages.reason(s);
    }

    /** Growable edge arrays (one frame, one thread). */
    private static final class EdgeList {
        long[] src;
        long[] dst;
        double[] vec;
        int size;

        EdgeList(int capacity) {
            src = new long[capacity];
            dst = new long[capacity];
            vec = new double[3 * capacity];
        }

        void add(int i, int j, double dx, double dy, double dz) {
            if (size == src.length) {
                int c = src.length * 2;
                src = Arrays.copyOf(src, c);
                dst = Arrays.copyOf(dst, c);
                vec = Arrays.copyOf(vec, 3 * c);
            }
            src[size] = i;
            dst[size] = j;
            vec[3 * size] = dx;
            vec[3 * size + 1] = dy;
            vec[3 * size + 2] = dz;
            size++;
        }
    }
}
