package org.interphase.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.interphase.analysis.AnalysisConfig;
import org.interphase.analysis.AnalysisPipeline;
import java.util.Iterator;
import java.util.Locale;
import org.interphase.clustering.AdvancedDensityPeaks;
import org.interphase.clustering.ClusteringOptions;
import org.interphase.clustering.Clusterers;
import org.interphase.clustering.DensityPeaks;
import org.interphase.clustering.KChoice;
import org.interphase.descriptors.DescriptorOptions;
import org.interphase.descriptors.SoapParameters;
import org.interphase.io.InputException;
import org.interphase.lammps.LammpsInstallation;
import org.interphase.phases.MdReferences;
import org.interphase.io.TypeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code interphase analyze DUMP}: descriptors, clustering and phase labels for a trajectory. See docs/analysis.md. */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify local atomic environments of a trajectory into phases (Li, Li2S, Li3P, LiCl, Li6PS5Cl, unassigned).",
                "Reads LAMMPS 'dump h5md' files, LAMMPS text dumps (dump custom id type x y z) and extended XYZ.",
                "Writes per-atom labels (extxyz, CSV), phase fractions, profiles and thickness vs time, plots and a report."})
public final class AnalyzeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DUMP", description = "trajectory file (.h5 H5MD, LAMMPS text dump, or .extxyz)")
    Path dump;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "output directory (default: ${DEFAULT-VALUE})", defaultValue = "interphase-analysis")
    Path out;

    @Mixin
    DumpOptions input = new DumpOptions();

    @Option(names = "--every", paramLabel = "N", description = "analyse every N-th frame (default: ${DEFAULT-VALUE})", defaultValue = "1")
    int every;

    @Option(names = "--method", description = "clustering: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})", defaultValue = "KMEANS",
            completionCandidates = Methods.class, converter = Methods.class)
    String method;

    /** The --method values: the registered clustering methods ({@link Clusterers}), shown in upper case, any case accepted. */
    static final class Methods implements Iterable<String>, ITypeConverter<String> {
        @Override
        public Iterator<String> iterator() {
            return Clusterers.names().stream().map(n -> n.toUpperCase(Locale.ROOT)).iterator();
        }

        @Override
        public String convert(String value) {
            return Clusterers.lookup(value).orElseThrow(() -> new TypeConversionException(
                    "expected one of " + Clusterers.names().stream().map(n -> n.toUpperCase(Locale.ROOT)).toList()
                            + " (case-insensitive) but was '" + value + "'"));
        }
    }

    @Option(names = {"-k", "--clusters"}, paramLabel = "K", description = "number of clusters; 0 = choose in --k-range (default: ${DEFAULT-VALUE})", defaultValue = "0")
    int k;

    @Option(names = "--k-range", paramLabel = "MIN:MAX", description = "k values tried when -k 0 (default: ${DEFAULT-VALUE})", defaultValue = "2:10")
    String kRange;

    @Option(names = "--select", description = "criterion for k: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})", defaultValue = "SILHOUETTE")
    KChoice.Criterion criterion;

    @Option(names = "--min-cluster-size", paramLabel = "N", description = "HDBSCAN min_cluster_size (default: ${DEFAULT-VALUE})", defaultValue = "25")
    int minClusterSize;

    @Option(names = "--sample", paramLabel = "N", description = "atom environments used to fit the clustering (default: ${DEFAULT-VALUE})", defaultValue = "20000")
    int sample;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})", defaultValue = "12345")
    long seed;

    @Option(names = "--cn-cutoff", paramLabel = "R_ON:R_CUT", description = "coordination switching start and cutoff in A (default: ${DEFAULT-VALUE})", defaultValue = "3.2:3.7")
    String cnCut;

    @Option(names = "--q-cutoff", paramLabel = "R_ON:R_CUT", description = "Steinhardt q4/q6 neighbour weights: 1 below R_ON, smoothly 0 at R_CUT; "
            + "R:R = standard hard cutoff (default: ${DEFAULT-VALUE})", defaultValue = "3.2:3.7")
    String qCutoff;

    @Option(names = "--soap", paramLabel = "RCUT:NMAX:LMAX:SIGMA[:RBF]",
            description = "also use SOAP (dscribe definition) with these parameters, e.g. 4.0:4:4:0.5 or 4.0:4:4:0.5:polynomial; "
                    + "the SOAP block is weighted to the same total variance as the other 10 features")
    String soap;

    @Option(names = "--latent", paramLabel = "MODEL.onnx",
            description = "also use the potential's own per-atom latent features: the node_latent output of a model exported by "
                    + "interphase-export (e.g. models/li-p-s-cl-allegro.f64.onnx); weighted like SOAP")
    Path latent;

    @Option(names = "--max-distance", paramLabel = "D", description = "standardised distance beyond which a cluster is 'unassigned' (default: ${DEFAULT-VALUE})", defaultValue = "1.5")
    double threshold;

    @Option(names = "--rattle", paramLabel = "SIGMA", description = "largest reference rattling in A; copies at 0, 1/3, 2/3 and 1 times it (default: ${DEFAULT-VALUE})", defaultValue = "0.15")
    double rattle;

    @Option(names = "--temperature", paramLabel = "K",
            description = "trajectory temperature: references are rattled harmonically at it (<u_x^2> = 3 hbar^2 T/(m k_B Theta_D^2)); "
                    + "without it, the fixed --rattle amplitudes")
    Double temperature;

    @Option(names = "--model", paramLabel = "MODEL.onnx",
            description = "the potential the trajectory was run with: references come from a short MD of each reference crystal with it at "
                    + "--temperature (LAMMPS + pair_style onnx; cached by model and temperature) instead of a harmonic rattle")
    Path model;

    @Option(names = "--reference-md", paramLabel = "EQ_PS:SAMPLE_PS:SNAPSHOTS", defaultValue = "0.5:0.5:5",
            description = "with --model: NVT equilibration, sampled length and snapshots of each reference MD (default: ${DEFAULT-VALUE})")
    String referenceMd;

    @Option(names = "--reference-cache", paramLabel = "DIR",
            description = "with --model: cache of reference MD runs (default: $XDG_CACHE_HOME/interphase/references or ~/.cache/interphase/references)")
    Path referenceCache;

    @Option(names = "--lmp", paramLabel = "PATH", description = "with --model: the LAMMPS executable (default: $INTERPHASE_LMP, else lmp on the PATH)")
    Path lmp;

    @Option(names = "--plugin", paramLabel = "PATH",
            description = "with --model: the pair_style onnx plugin to load (default: $INTERPHASE_PLUGIN; none when LAMMPS has it built in)")
    Path plugin;

    private AnalysisConfig.ReferenceMd referenceMd() {
        if (model == null) {
            if (lmp != null || plugin != null || referenceCache != null) {
                throw new InputException("--lmp, --plugin and --reference-cache belong to --model (references by MD): add --model MODEL.onnx or drop them");
            }
            return null;
        }
        if (temperature == null || !(temperature > 0)) {
            throw new InputException("--model runs the reference crystals at the trajectory's temperature: add --temperature K (e.g. --temperature 450)");
        }
        if (!java.nio.file.Files.isRegularFile(model) || !java.nio.file.Files.isReadable(model)) {
            throw new InputException("--model " + model + " is not a readable file: pass the ONNX model the trajectory was run with");
        }
        MdReferences.Protocol protocol = MdReferences.Protocol.parse(referenceMd);
        return new AnalysisConfig.ReferenceMd(model, LammpsInstallation.find(lmp, plugin),
                referenceCache != null ? referenceCache : MdReferences.defaultCache(), protocol);
    }

    @Option(names = "--dpc", paramLabel = "K:DELTA_CUT[:DENS_CUT[:ID]]", defaultValue = "10:2.0",
            description = "density peaks (--method dpc): k-NN density with K neighbours and intrinsic dimension ID (default: the "
                    + "clustered space's), centres have delta > DELTA_CUT and log density > DENS_CUT (default: ${DEFAULT-VALUE})")
    String dpc;

    private DensityPeaks.Parameters dpcParameters() {
        return fields("--dpc", dpc, "K:DELTA_CUT[:DENS_CUT[:ID]], e.g. 10:2.0", 2, 4, f -> new DensityPeaks.Parameters(Integer.parseInt(f[0]),
                f.length > 3 ? Integer.parseInt(f[3]) : 0, f.length > 2 ? Double.parseDouble(f[2]) : Double.NEGATIVE_INFINITY,
                Double.parseDouble(f[1])));
    }

    /**
     * Parses a colon-separated option value of min..max fields with {@code make}; a malformed value, or one that
     * {@code make} rejects, becomes a one-line {@link InputException}.
     */
    private static <T> T fields(String option, String text, String shape, int min, int max, java.util.function.Function<String[], T> make) {
        String[] f = text.split(":");
        for (int i = 0; i < f.length; i++) f[i] = f[i].trim();
        try {
            if (f.length < min || f.length > max) throw new NumberFormatException();
            return make.apply(f);
        } catch (NumberFormatException e) {
            throw new InputException(option + " '" + text + "' must look like " + shape);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }

    @Option(names = "--adp", paramLabel = "K:Z[:ID]", defaultValue = "10:2.5",
            description = "advanced density peaks (--method adp; d'Errico et al. 2021, as DADApy): k-NN density with K neighbours and "
                    + "intrinsic dimension ID (default: the clustered space's); peaks merge unless significant at Z (default: ${DEFAULT-VALUE}; "
                    + "DADApy's is 1.65, which keeps thermal sub-peaks of one crystal apart)")
    String adp;

    private AdvancedDensityPeaks.Parameters adpParameters() {
        return fields("--adp", adp, "K:Z[:ID], e.g. 10:2.5", 2, 3, f -> new AdvancedDensityPeaks.Parameters(Integer.parseInt(f[0]),
                f.length > 2 ? Integer.parseInt(f[2]) : 0, Double.parseDouble(f[1])));
    }

    @Option(names = "--cluster-all", description = "cluster all atoms together with one k, instead of each centre element separately (k per element; "
            + "the default without --soap/--latent)")
    boolean clusterAll;

    @Option(names = "--bin-width", paramLabel = "A", description = "profile bin width in A (default: ${DEFAULT-VALUE})", defaultValue = "2.0")
    double binWidth;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = "--no-atoms", description = "skip the per-atom outputs labels.extxyz and labels.csv")
    boolean noAtoms;

    @Option(names = "--no-plots", description = "skip the PNG/SVG plots")
    boolean noPlots;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar and no report on stdout")
    boolean quiet;

    /** Parses R_ON:R_CUT (or R) in Angstrom for option {@code opt}; shared with {@link SelectCommand}. */
    static double[] range(String opt, String text) {
        double on, cut;
        try {
            String[] r = text.split(":");
            if (r.length > 2) throw new NumberFormatException();
            on = Double.parseDouble(r[0].trim());
            cut = r.length > 1 ? Double.parseDouble(r[1].trim()) : on;
        } catch (RuntimeException e) {
            throw new InputException(opt + " '" + text + "' must look like R_ON:R_CUT in Angstrom, e.g. 3.2:3.7");
        }
        if (!(on > 0) || !(cut >= on) || !Double.isFinite(cut)) throw new InputException(opt + " needs 0 < R_ON <= R_CUT, got " + text);
        return new double[] {on, cut};
    }

    @Override
    public Integer call() throws Exception {
        TypeMap tm = input.typeMap();
        if (every < 1) throw new InputException("--every must be >= 1, got " + every);
        if (k < 0) throw new InputException("-k must be >= 0 (0 = choose automatically), got " + k);
        int kMin, kMax;
        try {
            String[] r = kRange.split(":");
            kMin = Integer.parseInt(r[0].trim());
            kMax = Integer.parseInt(r[1].trim());
        } catch (RuntimeException e) {
            throw new InputException("--k-range '" + kRange + "' must look like MIN:MAX, e.g. 2:10");
        }
        if (kMin < 2 || kMax < kMin) {
            throw new InputException("--k-range needs 2 <= MIN <= MAX, got " + kRange
                    + ": choosing k compares at least 2 clusters; for one cluster give -k 1");
        }
        if (kMax > 1000) throw new InputException("--k-range MAX must be <= 1000, got " + kRange);
        if (k > 1000) throw new InputException("-k must be <= 1000, got " + k);
        double[] cn = range("--cn-cutoff", cnCut);
        double[] qc = range("--q-cutoff", qCutoff);
        double on = cn[0], cut = cn[1];
        if (sample < 10 || sample > 10_000_000) throw new InputException("--sample must be in 10..10000000, got " + sample);
        if (minClusterSize < 2) {
            throw new InputException("--min-cluster-size must be >= 2, got " + minClusterSize + ": a cluster needs at least 2 atoms (default 25)");
        }
        if (minClusterSize > sample) {
            throw new InputException("--min-cluster-size " + minClusterSize + " is larger than --sample " + sample
                    + ": no cluster could be found; lower it or raise --sample");
        }
        if (!(binWidth > 0) || !Double.isFinite(binWidth)) throw new InputException("--bin-width must be a length > 0 in A, got " + binWidth);
        if (!(threshold > 0) || !Double.isFinite(threshold)) {
            throw new InputException("--max-distance must be a standardised distance > 0, got " + threshold + " (default 1.5)");
        }
        if (!(rattle >= 0 && rattle <= 1.0)) {
            throw new InputException("--rattle must be a standard deviation in 0..1 A, got " + rattle
                    + " (default 0.15; 0 = perfect reference crystals)");
        }
        double[] origin = input.origin();
        int nt = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (nt < 1 || nt > 4096) throw new InputException("--threads must be in 1..4096, got " + nt);
        SoapParameters soapParams = null;
        if (soap != null) {
            String[] f = soap.split(":");
            try {
                if (f.length < 4 || f.length > 5) throw new NumberFormatException();
                soapParams = SoapParameters.of(Double.parseDouble(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                        Double.parseDouble(f[3]), f.length == 5 ? f[4] : "gto", AnalysisPipeline.BASE_ELEMENTS);
            } catch (NumberFormatException e) {
                throw new InputException("--soap '" + soap + "' must look like RCUT:NMAX:LMAX:SIGMA[:RBF], e.g. 4.0:4:4:0.5");
            }
        }
        if (temperature != null && !(temperature >= 0 && temperature <= 5000)) {
            throw new InputException("--temperature must be in 0..5000 K, got " + temperature + ": give the trajectory's temperature, e.g. --temperature 450");
        }
        AnalysisConfig cfg = new AnalysisConfig(new AnalysisConfig.Input(dump, input.format(), tm, input.group(), origin, every),
                new DescriptorOptions(on, cut, qc[0], qc[1], soapParams, latent),
                new ClusteringOptions(method, k, kMin, kMax, criterion, minClusterSize, dpcParameters(), adpParameters(), sample, !clusterAll),
                new AnalysisConfig.Labelling(threshold, rattle, temperature, referenceMd()),
                new AnalysisConfig.Output(out, binWidth, !noAtoms, !noPlots, !quiet), seed, nt);
        AnalysisPipeline.Result r = new AnalysisPipeline(cfg, System.err).run();
        if (!quiet) System.out.print(r.report());
        return 0;
    }
}
