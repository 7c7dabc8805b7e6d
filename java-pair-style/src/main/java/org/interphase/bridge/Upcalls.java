package org.interphase.bridge;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import ai.onnxruntime.OrtEnvironment;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.interphase.inference.ModelContractException;
import org.interphase.inference.OnnxPotential;
import org.interphase.pair.CoeffResult;
import org.interphase.pair.NonFiniteOutputException;
import org.interphase.pair.PairKeywords;
import org.interphase.pair.PairOnnx;
import org.interphase.pair.PairSettings;
import org.interphase.pair.PairStats;

/**
 * The five functions of iph_vtable. Each catches every Throwable (an exception escaping an
 * upcall would kill LAMMPS) and reports it as one NUL-terminated UTF-8 line in err.
 */
@SuppressWarnings("restricted") // native access is this class's purpose
public final class Upcalls {
    private Upcalls() {}

    static final HandleRegistry HANDLES = new HandleRegistry();

    /** int32_t create(const iph_settings *settings, int64_t *handle_out, char *err, int64_t errcap). */
    public static int create(MemorySegment settingsPtr, MemorySegment handleOut, MemorySegment err, long errcap) {
        try {
            MemorySegment s = settingsPtr.reinterpret(BridgeLayouts.SETTINGS.byteSize());
            int abi = (int) BridgeLayouts.SETTINGS_ABI_VERSION.get(s, 0L);
            if (abi != BridgeLayouts.ABI_VERSION) {
                throw new IllegalArgumentException("the pair_style onnx plugin speaks bridge ABI v" + abi
                        + " but the Java bridge jar speaks v" + BridgeLayouts.ABI_VERSION
                        + ": reinstall plugin and jars from one build (scripts/build-plugin.sh)");
            }
            int narg = (int) BridgeLayouts.SETTINGS_NARG.get(s, 0L);
            MemorySegment argv = ((MemorySegment) BridgeLayouts.SETTINGS_ARG.get(s, 0L))
                    .reinterpret(ADDRESS.byteSize() * Math.max(0, narg));
            String[] words = new String[Math.max(0, narg)];
            for (int k = 0; k < words.length; k++) {
                words[k] = argv.getAtIndex(ADDRESS, k).reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8);
            }
            PairKeywords.Parsed parsed = PairKeywords.parse(words,
                    (int) BridgeLayouts.SETTINGS_MPI_RANK.get(s, 0L),
                    (int) BridgeLayouts.SETTINGS_MPI_SIZE.get(s, 0L),
                    (int) BridgeLayouts.SETTINGS_NODE_LOCAL_RANK.get(s, 0L),
                    (int) BridgeLayouts.SETTINGS_NODE_SIZE.get(s, 0L),
                    Runtime.getRuntime().availableProcessors());
            PairSettings ps = parsed.settings();
            OrtEnvironment env = OnnxPotential.environment();
            long h = HANDLES.register(new PairOnnx(env, ps));
            handleOut.reinterpret(8).set(JAVA_LONG, 0, h);
            // on success, a non-empty err is one warning line for the LAMMPS log
            writeError(parsed.warning(), err, errcap);
            return BridgeLayouts.IPH_OK;
        } catch (Throwable t) {
            return fail(t, BridgeLayouts.IPH_ERR_ALL, "pair_style onnx", err, errcap);
        }
    }

    /** int32_t coeff(int64_t handle, iph_coeff_args *args, char *err, int64_t errcap). */
    public static int coeff(long handle, MemorySegment argsPtr, MemorySegment err, long errcap) {
        try {
            PairOnnx pair = HANDLES.get(handle);
            MemorySegment a = argsPtr.reinterpret(BridgeLayouts.COEFF_ARGS.byteSize());
            int ntypes = (int) BridgeLayouts.COEFF_NTYPES.get(a, 0L);
            int nmodels = (int) BridgeLayouts.COEFF_NMODELS.get(a, 0L);
            MemorySegment pathsPtr = (MemorySegment) BridgeLayouts.COEFF_MODEL_PATHS.get(a, 0L);
            if (nmodels < 1 || pathsPtr.address() == 0) {
                throw new IllegalArgumentException("pair_coeff: no model file given: use 'pair_coeff * * model.onnx El1 El2 ...'");
            }
            MemorySegment paths = pathsPtr.reinterpret(ADDRESS.byteSize() * nmodels);
            java.util.List<String> models = new java.util.ArrayList<>();
            for (int m = 0; m < nmodels; m++) {
                models.add(paths.getAtIndex(ADDRESS, m).reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8));
            }
            MemorySegment elsPtr = (MemorySegment) BridgeLayouts.COEFF_TYPE_ELEMENTS.get(a, 0L);
            MemorySegment els = elsPtr.reinterpret(ADDRESS.byteSize() * (ntypes + 1L));
            String[] elements = new String[ntypes + 1];
            for (int t = 1; t <= ntypes; t++) {
                MemorySegment p = els.getAtIndex(ADDRESS, t);
                elements[t] = p.address() == 0 ? null : p.reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8);
            }
            CoeffResult r = pair.coeff(models, elements);
            MemorySegment cutPtr = (MemorySegment) BridgeLayouts.COEFF_TYPE_CUTOFF.get(a, 0L);
            MemorySegment cut = cutPtr.reinterpret(8L * (ntypes + 1) * (ntypes + 1));
            MemorySegment.copy(r.typeCutoff(), 0, cut, JAVA_DOUBLE, 0, r.typeCutoff().length);
            BridgeLayouts.COEFF_HOPS.set(a, 0L, r.hops());
            BridgeLayouts.COEFF_R_MAX.set(a, 0L, r.rMax());
            BridgeLayouts.COEFF_GHOST_REACH.set(a, 0L, r.ghostReach());
            BridgeLayouts.COEFF_GHOST_LISTS.set(a, 0L, r.ghostLists() ? 1 : 0);
            BridgeLayouts.COEFF_EXCHANGE_WIDTH.set(a, 0L, r.exchangeWidth());
            MemorySegment comPtr = (MemorySegment) BridgeLayouts.COEFF_COMMITTEE.get(a, 0L);
            if (comPtr.address() != 0) {
                writeCommittee(r, comPtr.reinterpret(BridgeLayouts.COMMITTEE.byteSize()));
            }
            // on success, a non-empty err is one warning line for the LAMMPS log
            writeError(r.warning(), err, errcap);
            return BridgeLayouts.IPH_OK;
        } catch (Throwable t) {
            return fail(t, BridgeLayouts.IPH_ERR_ALL, "pair_coeff", err, errcap);
        }
    }

    private static void writeCommittee(CoeffResult r, MemorySegment c) {
        PairSettings.Deviation d = r.deviation();
        BridgeLayouts.COMMITTEE_MEMBERS.set(c, 0L, r.members());
        BridgeLayouts.COMMITTEE_OUT_FREQ.set(c, 0L, d.outFreq());
        BridgeLayouts.COMMITTEE_ATOMIC.set(c, 0L, d.atomic() ? 1 : 0);
        BridgeLayouts.COMMITTEE_RELATIVE.set(c, 0L, Double.isNaN(d.relative()) ? 0 : 1);
        BridgeLayouts.COMMITTEE_RELATIVE_V.set(c, 0L, Double.isNaN(d.relativeV()) ? 0 : 1);
        BridgeLayouts.COMMITTEE_RELATIVE_EPS.set(c, 0L, Double.isNaN(d.relative()) ? 0.0 : d.relative());
        BridgeLayouts.COMMITTEE_RELATIVE_V_EPS.set(c, 0L, Double.isNaN(d.relativeV()) ? 0.0 : d.relativeV());
        writeString(d.outFile(), c.asSlice(BridgeLayouts.OFF_COMMITTEE_OUT_FILE, BridgeLayouts.IPH_PATHCAP),
                BridgeLayouts.IPH_PATHCAP);
    }

    /**
     * int32_t compute(int64_t handle, const iph_compute_args *args, char *err, int64_t errcap).
     * The pointers arrive as raw addresses (see {@link NativeEntry#COMPUTE}): the per-step upcall
     * then allocates no MemorySegment wrappers.
     */
    @SuppressWarnings("restricted") // the error buffer, only on failure
    public static int compute(long handle, long argsAddress, long errAddress, long errcap) {
        try {
            HANDLES.get(handle).compute(argsAddress);
            return BridgeLayouts.IPH_OK;
        } catch (org.interphase.pair.PeerFailedException p) {
            return BridgeLayouts.IPH_ERR_PEER; // another rank failed and reports the cause
        } catch (Throwable t) {
            return fail(t, BridgeLayouts.IPH_ERR_ONE, "pair_style onnx compute", MemorySegment.ofAddress(errAddress), errcap);
        }
    }

    /** int32_t stats(int64_t handle, iph_stats *out, char *err, int64_t errcap). */
    public static int stats(long handle, MemorySegment outPtr, MemorySegment err, long errcap) {
        try {
            PairStats s = HANDLES.get(handle).stats();
            MemorySegment o = outPtr.reinterpret(BridgeLayouts.STATS.byteSize());
            BridgeLayouts.STATS_NCALLS.set(o, 0L, s.calls());
            BridgeLayouts.STATS_NODES_LAST.set(o, 0L, s.nodesLast());
            BridgeLayouts.STATS_EDGES_LAST.set(o, 0L, s.edgesLast());
            BridgeLayouts.STATS_BUFFER_BYTES.set(o, 0L, s.bufferBytes());
            BridgeLayouts.STATS_SECONDS_BRIDGE.set(o, 0L, s.secondsBridge());
            BridgeLayouts.STATS_SECONDS_ONNX.set(o, 0L, s.secondsOnnx());
            BridgeLayouts.STATS_HEAP_BYTES_PER_CALL.set(o, 0L, s.heapBytesPerCall());
            BridgeLayouts.STATS_REALLOCATIONS.set(o, 0L, s.reallocations());
            BridgeLayouts.STATS_CHUNKS_LAST.set(o, 0L, s.chunksLast());
            BridgeLayouts.STATS_THREADS.set(o, 0L, s.threads());
            BridgeLayouts.STATS_MEMBERS.set(o, 0L, s.members());
            BridgeLayouts.STATS_MEMBER_CALLS.set(o, 0L, s.memberCalls());
            return BridgeLayouts.IPH_OK;
        } catch (Throwable t) {
            return fail(t, BridgeLayouts.IPH_ERR_ONE, "pair_style onnx stats", err, errcap);
        }
    }

    /** int32_t destroy(int64_t handle, char *err, int64_t errcap). */
    public static int destroy(long handle, MemorySegment err, long errcap) {
        try {
            HANDLES.remove(handle).close();
            return BridgeLayouts.IPH_OK;
        } catch (Throwable t) {
            return fail(t, BridgeLayouts.IPH_ERR_ONE, "pair_style onnx destroy", err, errcap);
        }
    }

    /** Maps a Throwable to its one-line message and writes it; never throws. */
    static int fail(Throwable t, int code, String where, MemorySegment err, long errcap) {
        try {
            writeError(message(t, where), err, errcap);
        } catch (Throwable ignored) {
            // nothing left to report through; the return code still signals the failure
        }
        return code;
    }

    static String message(Throwable t, String where) {
        String m = t.getMessage();
        String line;
        if (t instanceof NonFiniteOutputException || t instanceof ModelContractException) {
            line = m;
        } else if (t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
            line = m == null ? where + ": " + t.getClass().getSimpleName() : m;
        } else if (t instanceof OutOfMemoryError) {
            line = where + ": Java heap exhausted (" + m + "): give the JVM more memory (JAVA_TOOL_OPTIONS=-Xmx...) or use more MPI ranks";
        } else {
            line = where + " failed: " + t.getClass().getName() + (m == null ? "" : ": " + m)
                    + " (unexpected error in the Java bridge; please report it with the input)";
        }
        return line.replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    /** Writes msg as UTF-8, truncated on a character boundary to errcap-1 bytes, NUL-terminated. */
    public static void writeError(String msg, MemorySegment err, long errcap) {
        writeString(msg, err, errcap);
    }

    /** Writes s into the C buffer out of cap bytes as UTF-8, NUL-terminated (cut on a character boundary). */
    static void writeString(String msg, MemorySegment err, long errcap) {
        if (err == null || err.address() == 0 || errcap <= 0) {
            return;
        }
        MemorySegment out = err.reinterpret(errcap);
        byte[] b = msg.getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(b.length, errcap - 1);
        while (n > 0 && n < b.length && (b[n] & 0xC0) == 0x80) {
            n--; // do not cut a multi-byte character
        }
        MemorySegment.copy(b, 0, out, JAVA_BYTE, 0, n);
        out.set(JAVA_BYTE, n, (byte) 0);
    }
}
