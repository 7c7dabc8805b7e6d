package org.interphase.pair;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code pair_style onnx} keywords: parsing, defaults, checks and the usage text, in one
 * place. The C++ shim reads only {@code jvm} (it must find the JVM before Java exists) and
 * hands every other argument here as a string. Adding a keyword is one edit of this class plus
 * its row in the README's keyword table.
 *
 * <pre>
 * pair_style onnx [device cpu|cuda|cuda:N] [threads N] [chunk N] [ort_threads 1] [pad yes|no] [fold yes|no]
 *                 [out_freq N] [out_file FILE] [atomic] [relative EPS] [relative_v EPS] [jvm PATH]
 * </pre>
 *
 * <p>The last five are DeePMD-kit's model-deviation keywords, with its names, defaults and
 * meaning; they act when pair_coeff names several models (a committee).
 */
public final class PairKeywords {
    private PairKeywords() {}

    /**
     * ONNX Runtime memory per rank that the default chunk size aims at, shared by the rank's
     * worker threads. With the model's measured activation bytes per edge (metadata
     * interphase.activation_bytes_per_edge, written by interphase-export) the default chunk is
     * this budget / (threads x bytes per edge x neighbours per centre), within
     * [{@link #MIN_AUTO_CHUNK}, {@link #MAX_AUTO_CHUNK}]. Measured (results/pair-benchmark.md):
     * with the default model, chunks of 500-4000 atoms cost within 10 % of each other on one
     * thread, and with 2 threads on 2 cores 1000-atom chunks scale 1.96x where 2300-atom chunks
     * scale 1.70x (the cores share the caches and the memory bandwidth).
     */
    public static final long CHUNK_MEMORY_BYTES = 256L << 20;
    public static final int MIN_AUTO_CHUNK = 16;
    public static final int MAX_AUTO_CHUNK = 4000;

    /** Default chunk for a strictly local model (hops 1) whose metadata has no memory figure. */
    public static final int DEFAULT_CHUNK = 2000;

    /**
     * Default for message-passing models (hops &gt; 1) without a memory figure: every chunk
     * carries a halo of (hops - 1) x r_max, so small chunks repeat work
     * (results/pair-benchmark.md, halo table).
     */
    public static final int DEFAULT_CHUNK_MESSAGE_PASSING = 8000;

    /**
     * The default chunk (centre atoms per run) for a model.
     *
     * @param bytesPerEdge the model's activation bytes per edge, 0 if unknown
     * @param neighboursPerCentre mean length of the centres' neighbour lists (an upper bound of
     *        their edges: the lists include the skin)
     * @param threads worker threads of the rank
     */
    public static int autoChunk(int hops, double bytesPerEdge, double neighboursPerCentre, int threads) {
        int fallback = hops > 1 ? DEFAULT_CHUNK_MESSAGE_PASSING : DEFAULT_CHUNK;
        if (!(bytesPerEdge > 0) || !(neighboursPerCentre > 0)) {
            return fallback;
        }
        double atoms = CHUNK_MEMORY_BYTES / (Math.max(1, threads) * bytesPerEdge * neighboursPerCentre);
        int chunk = (int) Math.max(MIN_AUTO_CHUNK, Math.min(MAX_AUTO_CHUNK, Math.floor(atoms)));
        return hops > 1 ? Math.min(chunk, fallback) : chunk;
    }

    /** Deviation file row every this many steps when a committee is given (DeePMD-kit's default). */
    public static final int DEFAULT_OUT_FREQ = 100;
    /** Deviation file name (DeePMD-kit's default). */
    public static final String DEFAULT_OUT_FILE = "model_devi.out";
    /** Bytes of the shim's file-name buffer (IPH_PATHCAP), including the NUL. */
    public static final int PATH_CAPACITY = 4096;

    /**
     * A message-passing model's default chunk is dropped to one run per rank (chunk 0) when the
     * first chunk's graph, halo included, already holds more than this fraction of the rank's
     * atoms: the halo (hops - 1 edges deep) then spans most of the rank, as for SevenNet-0 (5
     * layers of 5 A) in a periodic cell of a few hundred atoms, and chunks would only repeat the
     * same work without saving memory.
     */
    public static final double HALO_WHOLE_RANK_FRACTION = 0.5;

    /** The default chunk after measuring the first chunk's graph (see {@link #HALO_WHOLE_RANK_FRACTION}). */
    public static int chunkAfterHalo(int chunk, int firstChunkNodes, int rankAtoms) {
        return chunk > 0 && firstChunkNodes > HALO_WHOLE_RANK_FRACTION * rankAtoms ? 0 : chunk;
    }

    /** The keywords with their values, for error messages. */
    public static final String USAGE = "device cpu|cuda|cuda:N, threads N, chunk N, ort_threads 1, pad yes|no, fold yes|no, "
            + "out_freq N, out_file FILE, atomic, relative EPS, relative_v EPS, jvm PATH_TO_libjvm.so_OR_JDK_HOME";

    private static final List<String> KEYWORDS = List.of("device", "threads", "chunk", "ort_threads", "pad", "fold",
            "out_freq", "out_file", "atomic", "relative", "relative_v", "jvm");
    /** Keywords without a value. */
    private static final List<String> FLAGS = List.of("atomic");

    /** Parsed settings plus at most one warning line for the LAMMPS log (empty if none). */
    public record Parsed(PairSettings settings, String warning) {}

    /**
     * Parses the pair_style arguments (without {@code jvm PATH}, which the shim consumed).
     *
     * @param hardwareThreads the hardware threads this process may use
     * @throws IllegalArgumentException with a one-line message naming the fix
     */
    public static Parsed parse(String[] args, int mpiRank, int mpiSize, int nodeLocalRank, int nodeSize,
                               int hardwareThreads) {
        boolean cuda = false;
        int deviceId = -1;
        int threads = 1;
        int chunk = PairSettings.CHUNK_AUTO;
        boolean pad = true;
        boolean fold = true;
        int outFreq = DEFAULT_OUT_FREQ;
        String outFile = DEFAULT_OUT_FILE;
        boolean atomic = false;
        double relative = Double.NaN;
        double relativeV = Double.NaN;
        List<String> given = new ArrayList<>();
        for (int k = 0; k < args.length; k += 2) {
            String key = args[k];
            if (!KEYWORDS.contains(key)) {
                throw new IllegalArgumentException("pair_style onnx: unknown keyword '" + key
                        + "'; valid keywords are: " + USAGE);
            }
            if (FLAGS.contains(key)) {
                atomic = true;
                given.add(key);
                k--; // no value
                continue;
            }
            if (k + 1 >= args.length) {
                throw new IllegalArgumentException("pair_style onnx: keyword '" + key
                        + "' needs a value; valid keywords are: " + USAGE);
            }
            String val = args[k + 1];
            switch (key) {
                case "device" -> {
                    if (val.equals("cpu")) {
                        cuda = false;
                        deviceId = -1;
                    } else if (val.equals("cuda")) {
                        cuda = true;
                        deviceId = -1;
                    } else if (val.matches("cuda:[0-9]{1,6}")) {
                        cuda = true;
                        deviceId = Integer.parseInt(val.substring(5));
                    } else {
                        throw new IllegalArgumentException("pair_style onnx: device '" + val
                                + "' is not one of cpu, cuda, cuda:N");
                    }
                }
                case "threads" -> threads = count("threads", val, 1,
                        "the number of worker threads per MPI rank (1 = none besides LAMMPS's own)");
                case "ort_threads" -> {
                    if (count("ort_threads", val, 1, "ONNX Runtime's intra-op threads inside each run") > 1) {
                        throw new IllegalArgumentException("pair_style onnx: ort_threads " + val + " is refused: ONNX "
                                + "Runtime's ScatterND sums race across its intra-op threads and lose force terms; use "
                                + "threads " + val + " (chunks in parallel, one ONNX Runtime thread each)");
                    }
                }
                case "chunk" -> chunk = count("chunk", val, 0,
                        "centre atoms per ONNX Runtime run; 0 = one run per rank");
                case "pad" -> pad = yesNo("pad", val);
                case "fold" -> fold = yesNo("fold", val);
                case "out_freq" -> {
                    outFreq = count("out_freq", val, 1, "steps between rows of the model-deviation file");
                    given.add(key);
                }
                case "out_file" -> {
                    if (val.isEmpty() || val.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= PATH_CAPACITY) {
                        throw new IllegalArgumentException("pair_style onnx: out_file must be a file name of 1 to "
                                + (PATH_CAPACITY - 1) + " bytes");
                    }
                    outFile = val;
                    given.add(key);
                }
                case "relative" -> {
                    relative = level("relative", val, "eV/A");
                    given.add(key);
                }
                case "relative_v" -> {
                    relativeV = level("relative_v", val, "eV");
                    given.add(key);
                }
                default -> throw new IllegalArgumentException("pair_style onnx: 'jvm' is read by the plugin itself "
                        + "and cannot appear twice; give it once");
            }
        }
        List<String> warnings = new ArrayList<>();
        int hw = Math.max(1, hardwareThreads);
        if (threads > hw) {
            warnings.add("pair_style onnx: threads " + threads + " is more than the " + hw
                    + " hardware threads of this process; using threads " + hw);
            threads = hw;
        }
        long perNode = (long) threads * Math.max(1, nodeSize);
        if (perNode > hw && threads > 1) {
            warnings.add("pair_style onnx: " + Math.max(1, nodeSize) + " ranks on this node x threads " + threads
                    + " = " + perNode + " threads on " + hw
                    + " hardware threads: use fewer ranks or threads");
        }
        PairSettings s = new PairSettings(cuda, deviceId, threads, chunk, pad, fold, mpiRank, mpiSize,
                nodeLocalRank, nodeSize, new PairSettings.Deviation(outFreq, outFile, atomic, relative, relativeV, given));
        return new Parsed(s, String.join("; ", warnings));
    }

    private static boolean yesNo(String key, String val) {
        if (List.of("yes", "on", "true").contains(val)) {
            return true;
        }
        if (List.of("no", "off", "false").contains(val)) {
            return false;
        }
        throw new IllegalArgumentException("pair_style onnx: " + key + " '" + val + "' must be yes or no");
    }

    private static double level(String key, String val, String unit) {
        double v;
        try {
            v = Double.parseDouble(val);
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("pair_style onnx: " + key + " '" + val + "' must be a number >= 0 ("
                    + unit + ", added to the mean before dividing, as in DeePMD-kit)");
        }
        return v;
    }

    private static int count(String key, String val, int min, String meaning) {
        int v;
        try {
            v = Integer.parseInt(val);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("pair_style onnx: " + key + " '" + val + "' is not a whole number: give "
                    + key + " N with N >= " + min + " (" + meaning + ")");
        }
        if (v < min) {
            throw new IllegalArgumentException("pair_style onnx: " + key + " " + v + " must be >= " + min + " ("
                    + meaning + ")");
        }
        return v;
    }
}
