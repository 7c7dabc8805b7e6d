package org.interphase.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * One ONNX Runtime session of a contract-v1 model, shared by every worker thread of a pair
 * style (ONNX Runtime allows concurrent {@code run} calls on one session). Each worker owns a
 * {@link Binding}: input tensors created over its graph's direct buffers (no copy) and outputs
 * pinned to preallocated direct buffers, so a run is just {@code OrtSession.run}; the tensors
 * are re-created only when a bucket changes.
 */
public final class OnnxPotential implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelContract contract;
    private boolean closed;

    /** ONNX Runtime's memory pattern optimisation: off (see open). -Dinterphase.ort.mempattern=true turns it on. */
    static final boolean MEMORY_PATTERN = Boolean.getBoolean("interphase.ort.mempattern");

    private OnnxPotential(OrtEnvironment env, OrtSession session, ModelContract contract) {
        this.env = env;
        this.session = session;
        this.contract = contract;
    }

    /**
     * The shared ONNX Runtime environment (errors only in the log), with its telemetry off. The process environment
     * should also hold ORT_DISABLE_TELEMETRY=1 before ONNX Runtime loads (the plugin and bin/interphase set it):
     * only that keeps the Linux build from creating its event store in ~/.cache/Microsoft.
     */
    public static OrtEnvironment environment() {
        OrtNativeLibraries.configure();
        OrtEnvironment env = OrtEnvironment.getEnvironment(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "interphase");
        try {
            env.setTelemetry(false);
        } catch (ai.onnxruntime.OrtException e) {
            // telemetry cannot be switched in this build: nothing to turn off
        }
        return env;
    }

    /** Throws a clear error when CUDA is requested but this ONNX Runtime build lacks it. */
    public static void checkDevice(InferenceSettings settings) {
        OrtNativeLibraries.configure();
        if (settings.cuda() && !OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            throw new IllegalArgumentException("pair_style onnx device cuda: this ONNX Runtime build has no CUDA "
                    + "execution provider (available: " + OrtEnvironment.getAvailableProviders()
                    + "): build the bridge with 'mvn -Pcuda package' (onnxruntime_gpu) and install the CUDA 12 "
                    + "and cuDNN 9 libraries, or use 'device cpu'");
        }
    }

    /**
     * ONNX Runtime intra-op threads of every session of an exported graph: always one. Its CPU
     * ScatterND with a reduction (the edge-to-atom sums of exported Allegro, NequIP and SevenNet
     * graphs) splits the updates over the intra-op threads without synchronisation, so two threads
     * adding into one atom's row lose contributions (NequIP fixture, 11k atoms, 2 threads: forces off
     * by up to 9e-8 eV/A; random indices: whole terms lost). Parallelism comes from running chunks
     * concurrently on one session instead ({@code pair_style onnx threads N}).
     */
    public static final int INTRA_OP_THREADS = 1;

    /**
     * Opens and validates a model.
     *
     * @throws ModelContractException for a missing, unreadable, non-ONNX or non-contract file
     */
    public static OnnxPotential open(OrtEnvironment env, Path model, InferenceSettings settings) {
        String name = model.getFileName() == null ? model.toString() : model.getFileName().toString();
        if (!Files.exists(model)) {
            throw new ModelContractException("model file " + model + " not found: check the path in "
                    + "'pair_coeff * * MODEL.onnx ...' (relative paths are relative to the LAMMPS working directory)");
        }
        if (!Files.isRegularFile(model) || !Files.isReadable(model)) {
            throw new ModelContractException("model file " + model + " is not a readable file: check the path "
                    + "and permissions in 'pair_coeff * * MODEL.onnx ...'");
        }
        OrtSession session = createSession(env, model, name, settings);
        try {
            ModelContract contract = ModelContract.validate(name,
                    session.getMetadata().getCustomMetadata(), session.getInputInfo(), session.getOutputInfo());
            return new OnnxPotential(env, session, contract);
        } catch (RuntimeException | OrtException e) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // the validation error is the one to report
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new ModelContractException("model " + name + ": cannot read its inputs/outputs ("
                    + OrtMessages.reason(e.getMessage()) + "): " + ModelContract.FIX);
        }
    }

    /**
     * A session with the pair style's options (one intra-op thread, no spinning, memory pattern
     * off, CUDA when asked) for the graph at {@code model}; {@code name} is used in messages.
     */
    static OrtSession createSession(OrtEnvironment env, Path model, String name, InferenceSettings settings) {
        checkDevice(settings);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(INTRA_OP_THREADS);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // no busy-waiting pool threads between steps: they would steal cores from the MPI ranks
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            // ONNX Runtime's memory pattern plans one block for all intermediates of a shape; with
            // the arena it doubles the peak of the exported backward pass (8.4 vs 3.7 KB per edge,
            // default f64 model; results/pair-benchmark.md) for no measurable speed-up
            options.setMemoryPatternOptimization(MEMORY_PATTERN);
            if (settings.cuda()) {
                int id = settings.resolvedDeviceId(System.getenv("CUDA_VISIBLE_DEVICES"));
                try {
                    options.addCUDA(id);
                } catch (OrtException e) {
                    throw new IllegalArgumentException("pair_style onnx device cuda:" + id
                            + ": cannot start the CUDA execution provider (" + OrtMessages.reason(e.getMessage())
                            + "): build with 'mvn -Pcuda package' and have the CUDA 12 / cuDNN 9 libraries on "
                            + "LD_LIBRARY_PATH, or use 'device cpu'");
                }
            }
            try {
                return env.createSession(model.toString(), options);
            } catch (OrtException e) {
                throw new ModelContractException("model " + name + " is not a valid ONNX model (ONNX Runtime: "
                        + OrtMessages.reason(e.getMessage()) + "): pass the .onnx file written by interphase-export");
            }
        } catch (OrtException e) {
            throw new IllegalStateException("cannot configure ONNX Runtime: " + OrtMessages.reason(e.getMessage()), e);
        }
    }

    public ModelContract contract() {
        return contract;
    }

    /** The session (for the stages of a contract-v2 model, whose manifest is this graph). */
    OrtSession session() {
        return session;
    }

    OrtEnvironment env() {
        return env;
    }

    /** A new, empty tensor binding for one worker's graph buffers. */
    public Binding binding() {
        return new Binding();
    }

    /** The tensors of one worker: owned by one thread at a time; close it before the session. */
    public final class Binding implements AutoCloseable {
        private final Map<String, OnnxTensor> inputs = new HashMap<>();
        private final Map<String, OnnxTensor> pinned = new HashMap<>();
        private final List<OnnxTensor> owned = new ArrayList<>();
        private int boundNodeGeneration = -1;
        private int boundEdgeGeneration = -1;
        private int boundNodes = -1;
        private int boundEdges = -1;
        private long bindings;

        private Binding() {}

        /** Number of times the tensors were (re)created. */
        public long bindings() {
            return bindings;
        }

        /**
         * Runs the model on the graph; the outputs land in the graph's atomicEnergy/edgeForces
         * buffers.
         *
         * @return true when the tensors had to be re-created for this call
         */
        public boolean run(GraphBuilder graph) throws OrtException {
            GraphBuffers b = graph.buffers();
            boolean rebound = false;
            if (b.nodeGeneration() != boundNodeGeneration || b.edgeGeneration() != boundEdgeGeneration
                    || graph.nodes() != boundNodes || graph.edges() != boundEdges) {
                bind(graph);
                rebound = true;
            }
            // outputs are pinned (not owned by the Result): closing it frees nothing we read
            session.run(inputs, pinned).close();
            return rebound;
        }

        private void bind(GraphBuilder graph) throws OrtException {
            releaseTensors();
            GraphBuffers b = graph.buffers();
            long n = graph.nodes();
            long e = graph.edges();
            Precision p = b.precision();
            long[] nodeShape = {n};
            long[] edgeShape = {e, 3};
            put(inputs, ModelContract.EDGE_VECTORS, floatTensor(b.edgeVectors(), p, 3 * e, edgeShape));
            put(inputs, ModelContract.EDGE_INDEX,
                    OnnxTensor.createTensor(env, bytes(b.edgeIndex(), 16 * e).asLongBuffer(), new long[] {2, e}));
            put(inputs, ModelContract.ATOM_TYPES,
                    OnnxTensor.createTensor(env, bytes(b.atomTypes(), 8 * n).asLongBuffer(), nodeShape));
            if (contract.hasMask()) {
                put(inputs, ModelContract.NODE_ENERGY_MASK, floatTensor(b.mask(), p, n, nodeShape));
            }
            put(pinned, ModelContract.ATOMIC_ENERGY, floatTensor(b.atomicEnergy(), p, n, nodeShape));
            put(pinned, ModelContract.EDGE_FORCES, floatTensor(b.edgeForces(), p, 3 * e, edgeShape));
            boundNodeGeneration = b.nodeGeneration();
            boundEdgeGeneration = b.edgeGeneration();
            boundNodes = graph.nodes();
            boundEdges = graph.edges();
            bindings++;
        }

        private void put(Map<String, OnnxTensor> map, String name, OnnxTensor t) {
            owned.add(t);
            map.put(name, t);
        }

        private void releaseTensors() {
            for (OnnxTensor t : owned) {
                t.close();
            }
            owned.clear();
            inputs.clear();
            pinned.clear();
            boundNodeGeneration = -1;
            boundEdgeGeneration = -1;
        }

        /** Frees the tensors (idempotent). */
        @Override
        public void close() {
            releaseTensors();
        }
    }

    private OnnxTensor floatTensor(MemorySegment seg, Precision p, long count, long[] shape) throws OrtException {
        return floatTensor(env, seg, p, count, shape);
    }

    /** A float tensor of precision p over the first count values of seg (no copy). */
    static OnnxTensor floatTensor(OrtEnvironment env, MemorySegment seg, Precision p, long count, long[] shape)
            throws OrtException {
        ByteBuffer bb = bytes(seg, count * p.bytes());
        return p == Precision.FLOAT64
                ? OnnxTensor.createTensor(env, bb.asDoubleBuffer(), shape)
                : OnnxTensor.createTensor(env, bb.asFloatBuffer(), shape);
    }

    static ByteBuffer bytes(MemorySegment seg, long byteCount) {
        return seg.asSlice(0, byteCount).asByteBuffer().order(ByteOrder.nativeOrder());
    }

    /** Closes the session (idempotent); close every {@link Binding} first. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the ONNX Runtime session: " + OrtMessages.reason(e.getMessage()), e);
        }
    }
}
