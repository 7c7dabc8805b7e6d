package org.interphase.analysis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.interphase.clustering.Clusterer;
import org.interphase.clustering.Clusterers;
import org.interphase.clustering.ElementClusters;
import org.interphase.clustering.Pca;
import org.interphase.clustering.Samples;
import org.interphase.clustering.Standardizer;
import org.interphase.descriptors.Descriptors;
import org.interphase.descriptors.FeatureComputer;
import org.interphase.descriptors.FeatureGroup;
import org.interphase.descriptors.FeatureWeights;
import org.interphase.descriptors.SannGeometry;
import org.interphase.io.ExtXyzWriter;
import org.interphase.io.Frame;
import org.interphase.io.FrameSource;
import org.interphase.io.InputException;
import org.interphase.io.Trajectories;
import org.interphase.phases.PhaseLabeler;
import org.interphase.phases.ReferenceCrystals;
import org.interphase.phases.MdReferences;
import org.interphase.phases.ReferenceEnvironments;
import org.interphase.phases.ReferenceRattle;
import org.interphase.structure.ModelMetadata;

/**
 * read -&gt; descriptors -&gt; clustering -&gt; phase labels -&gt; outputs, in two streaming passes over the trajectory
 * (memory bounded in the number of frames). The stages of {@link #run}:
 *
 * <ol>
 *   <li>describe (pass 1): descriptors frame by frame, cached (float32) in the staging directory, and a reservoir
 *       sample of the atom environments for fitting;</li>
 *   <li>sample: the reservoir standardised;</li>
 *   <li>fit: the clustering, on the method's subsample, in the space of the first {@value #REDUCED} principal
 *       components for the larger descriptor spaces;</li>
 *   <li>label: every cluster named after its nearest reference site;</li>
 *   <li>write: pass 2 re-reads the frames, labels every atom and writes the per-atom and per-frame outputs, then the
 *       cluster table, the plots and the report.</li>
 * </ol>
 */
public final class AnalysisPipeline {
    /** Canonical element order of the descriptors. */
    public static final List<String> BASE_ELEMENTS = List.of("Li", "P", "S", "Cl");
    /** Descriptor spaces with more features than this are clustered on this many principal components. */
    static final int REDUCED = 20;
    /** Neighbour search radius of the species-agnostic geometric descriptor (A). */
    static final double SANN_CUTOFF = 5.0;
    /** In a periodic box narrower than 2 {@link #SANN_CUTOFF}, the geometric search radius is this fraction of the width. */
    static final double SANN_SMALL_BOX_FRACTION = 0.4999;
    /** Atom environments drawn for the PCA map plot. */
    static final int PLOT_SAMPLE = 5000;
    /** Added to the seed for the plot's subsample, so that it differs from the fitting subsample. */
    static final long PLOT_SEED_OFFSET = 1;
    /** Buffer of the descriptor cache streams (bytes). */
    private static final int CACHE_BUFFER = 1 << 16;
    /** Refresh interval of the progress bar (ms). */
    private static final int PROGRESS_MILLIS = 250;

    /** Per-frame summary. */
    public record FrameSummary(long step, double time, int atoms, double[] fractions, double thickness) {
    }

    /** Result of a run. */
    public record Result(List<String> phases, List<FrameSummary> frames, ElementClusters model, String[] clusterPhase,
            PhaseLabeler.Match[] matches, long atomFrames, double descriptorSeconds, double totalSeconds, String report) {
    }

    /** Pass 1: the descriptor cache, the reservoir (descriptors + raw geometry per row) and the counts. */
    private record Described(Path cache, double[][] reservoir, long frames, long atomFrames, double seconds) {
    }

    /** The reservoir standardised: z the features, zg the features followed by the raw geometry. */
    private record Sample(double[][] z, double[][] zg) {
    }

    /** The fitted clustering: its sample (standardised, and with geometry), the reducing PCA (or null) and the model. */
    private record Fit(double[][] z, double[][] zg, Pca reducer, ElementClusters model) {
        /** The space a standardised row is clustered in. */
        double[] reduce(double[] row) {
            return reducer == null ? row : reducer.transform(row);
        }
    }

    /** The clusters named: centroids (standardised features, raw geometry) and their reference matches. */
    private record Named(double[][] centroids, double[][] geoCentroids, PhaseLabeler.Match[] matches, String[] phase, String[] prototype) {
    }

    /** Pass 2: per-frame summaries, the last profile, and atom-frames per cluster (all, and relabelled interface). */
    private record Labelled(List<FrameSummary> summaries, Profile lastProfile, long[] clusterCount, long[] clusterInterface) {
    }

    private final AnalysisConfig cfg;
    private final PrintStream err;

    /** A pipeline for one configuration; progress goes to err. */
    public AnalysisPipeline(AnalysisConfig cfg, PrintStream err) {
        this.cfg = cfg;
        this.err = err;
    }

    /** Runs the analysis; outputs appear in the output directory only when everything succeeded. */
    public Result run() throws IOException {
        long t0 = System.nanoTime();
        List<String> elements = elements();
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, cfg.threads()));
        try (AtomicOutput out = new AtomicOutput(cfg.output().outDir());
                FeatureComputer fc = Descriptors.open(cfg.descriptors(), elements, pool)) {
            FeatureComputer geo = new FeatureComputer(List.of(new SannGeometry(SANN_CUTOFF)), pool);
            PhaseLabeler labeler = new PhaseLabeler(fc, geo, ReferenceCrystals.all(), references(), cfg.seed(), cfg.labelling().threshold(),
                    FeatureWeights.of(fc));
            Standardizer scaler = labeler.scaler();
            Clusterer clusterer = Clusterers.create(cfg.clustering(), cfg.seed());

            Described described = describe(out, fc, geo, elements, pool);
            Sample sample = sample(described, scaler, fc.dimension(), geo.dimension());
            Fit fit = fit(sample, fc, clusterer, elements);
            Named named = name(fit, labeler, fc.dimension(), geo.dimension());
            List<String> phases = new ArrayList<>(labeler.phases());
            phases.add(Interfaces.INTERFACE);
            phases.add(PhaseLabeler.UNASSIGNED);
            Labelled labelled = writeLabels(out, described, fit, named, phases, new Interfaces(fc.cutoff(), labeler.phases()), scaler,
                    fc.dimension());
            Files.deleteIfExists(described.cache());

            writeClusterTable(out, fc, geo, fit.model(), named, labelled, scaler);
            if (cfg.output().plots()) writePlots(out, sample, fit, named, labelled, phases, clusterer, elements);
            double total = (System.nanoTime() - t0) * 1e-9;
            String report = Report.text(cfg, elements, fc, clusterer, fit.model(), named.matches(), named.phase(), labelled.clusterCount(),
                    labelled.clusterInterface(), phases, labelled.summaries(), described.atomFrames(), described.seconds(), total, labeler,
                    rawCentroids(named, scaler));
            Files.writeString(out.file("report.txt"), report);
            out.commit("report.txt");
            noteRemovedOutputs(out);
            return new Result(phases, labelled.summaries(), fit.model(), named.phase(), named.matches(), described.atomFrames(),
                    described.seconds(), total, report);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The descriptors' elements: the canonical ones, then the type map's others. */
    /** The reference environments: MD with the trajectory's model (--model), else rattled crystals. */
    private ReferenceEnvironments references() throws IOException {
        AnalysisConfig.Labelling lab = cfg.labelling();
        if (lab.md() == null) return new ReferenceRattle(lab.temperature(), lab.rattle());
        AnalysisConfig.ReferenceMd md = lab.md();
        List<String> species = ModelMetadata.species(md.model());
        Set<String> present = new java.util.TreeSet<>();
        try (FrameSource src = open()) {
            Frame f = src.next();
            if (f != null) present.addAll(Arrays.asList(f.elements()));
        }
        List<String> missing = present.stream().filter(e -> !species.contains(e)).toList();
        if (!missing.isEmpty()) {
            throw new InputException("model " + md.model().getFileName() + " knows species " + species + " but the trajectory also has "
                    + String.join(", ", missing) + ": pass the model the trajectory was run with (--model), or drop --model for harmonic references");
        }
        return new MdReferences(md.model(), species, lab.temperature(), md.lammps(), md.cache(), md.protocol(), cfg.threads(),
                cfg.output().progress() ? line -> err.println("[interphase] " + line) : null);
    }

    private List<String> elements() {
        LinkedHashSet<String> el = new LinkedHashSet<>(BASE_ELEMENTS);
        if (cfg.input().typeMap() != null) el.addAll(cfg.input().typeMap().elements());
        return List.copyOf(el);
    }

    private FrameSource open() throws IOException {
        AnalysisConfig.Input in = cfg.input();
        return Trajectories.open(in.dump(), in.format(), in.typeMap(), in.group(), in.origin());
    }

    private ProgressBar bar(String task, long max) {
        boolean tty = System.console() != null && System.console().isTerminal();
        if (!cfg.output().progress() || !tty) return null;
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setUpdateIntervalMillis(PROGRESS_MILLIS)
                .setConsumer(new ConsoleProgressBarConsumer(err)).build();
    }

    /** Pass 1: descriptors of every analysed frame to the cache, and a reservoir sample of rows (features + geometry). */
    private Described describe(AtomicOutput out, FeatureComputer fc, FeatureComputer geo, List<String> elements, ForkJoinPool pool)
            throws IOException {
        Set<String> known = new LinkedHashSet<>(elements);
        int d = fc.dimension();
        int g = geo.dimension();
        Path cache = out.scratch("features.f32");
        double[][] reservoir = new double[cfg.clustering().sample()][];
        long seen = 0;
        Random rnd = new Random(cfg.seed());
        long frames = 0;
        long atomFrames = 0;
        double descSeconds = 0;
        try (FrameSource src = open();
                DataOutputStream fo = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(cache), CACHE_BUFFER));
                ProgressBar pb = bar("descriptors", src.frameCountHint() < 0 ? -1 : src.frameCountHint())) {
            Frame f;
            long index = 0;
            while ((f = src.next()) != null) {
                if (index++ % cfg.input().every() != 0) {
                    if (pb != null) pb.step();
                    continue;
                }
                for (String e : f.elements()) {
                    if (!known.contains(e)) {
                        throw new InputException(src.description() + ": element " + e + " is not covered by the descriptors "
                                + elements + ": map it with --types (e.g. --types Li,P,S,Cl)");
                    }
                }
                long ts = System.nanoTime();
                double[] x;
                double[] gx;
                try {
                    x = fc.compute(f);
                    gx = geometryOf(geo, f, pool);
                } catch (IllegalArgumentException e) {
                    throw new InputException(src.description() + " step " + f.step() + ": " + e.getMessage());
                }
                descSeconds += (System.nanoTime() - ts) * 1e-9;
                for (double v : x) fo.writeFloat((float) v);
                for (int i = 0; i < f.size(); i++) {
                    long slot = seen < reservoir.length ? seen : (long) (rnd.nextDouble() * (seen + 1));
                    if (slot < reservoir.length) {
                        double[] row = new double[d + g];
                        for (int k = 0; k < d; k++) row[k] = (float) x[i * d + k];
                        for (int k = 0; k < g; k++) row[d + k] = gx[i * g + k];
                        reservoir[(int) slot] = row;
                    }
                    seen++;
                }
                frames++;
                atomFrames += f.size();
                if (pb != null) pb.step();
            }
        }
        if (frames == 0) throw new InputException(cfg.input().dump() + " contains no frames: pass a trajectory with at least one frame");
        return new Described(cache, Arrays.copyOf(reservoir, (int) Math.min(seen, reservoir.length)), frames, atomFrames, descSeconds);
    }

    /** The filled reservoir rows standardised; the geometry stays raw. */
    private static Sample sample(Described described, Standardizer scaler, int d, int g) {
        double[][] reservoir = described.reservoir();
        int m = reservoir.length;
        double[][] z = new double[m][];
        double[][] zg = new double[m][]; // standardised features + raw geometry, subsampled together
        for (int i = 0; i < m; i++) {
            z[i] = scaler.apply(Arrays.copyOf(reservoir[i], d));
            zg[i] = Arrays.copyOf(z[i], d + g);
            System.arraycopy(reservoir[i], d, zg[i], d, g);
        }
        return new Sample(z, zg);
    }

    /** Fits the clustering on the method's subsample of the sample. */
    private Fit fit(Sample sample, FeatureComputer fc, Clusterer clusterer, List<String> elements) {
        int d = fc.dimension();
        double[][] fitZG = Samples.subsample(sample.zg(), Math.min(sample.zg().length, clusterer.sampleCap()), cfg.seed());
        double[][] fitZ = new double[fitZG.length][];
        for (int i = 0; i < fitZ.length; i++) fitZ[i] = Arrays.copyOf(fitZG[i], d);
        // high-dimensional descriptors (SOAP) are clustered in the space of their first REDUCED principal components
        Pca reducer = d > REDUCED ? pca(fitZ, REDUCED) : null;
        double[][] fitY = reducer == null ? fitZ : project(reducer, fitZ);
        // per element only for the cheap features; SOAP/latent spaces are clustered globally (per element, the silhouette
        // there prefers splitting interface atoms, which SOAP sees from far, from all bulk atoms of the element)
        boolean perElement = cfg.clustering().perElement() && fc.count(FeatureGroup.CHEAP) == d;
        try {
            return new Fit(fitZ, fitZG, reducer, ElementClusters.fit(fitZ, fitY, perElement ? elements.size() : 0, elements, clusterer));
        } catch (IllegalArgumentException e) {
            throw new InputException(clusterer.failureMessage(e.getMessage()));
        }
    }

    /** Names every cluster after the reference site nearest to its centroid (mean of its fitted sample members). */
    private static Named name(Fit fit, PhaseLabeler labeler, int d, int g) {
        ElementClusters model = fit.model();
        int k = model.k();
        double[][] centroids = new double[k][d];
        double[][] geoCentroids = new double[k][g];
        int[] members = new int[k];
        for (int i = 0; i < fit.z().length; i++) {
            int c = model.sampleLabels()[i];
            if (c < 0) continue;
            members[c]++;
            for (int q = 0; q < d; q++) centroids[c][q] += fit.z()[i][q];
            for (int q = 0; q < g; q++) geoCentroids[c][q] += fit.zg()[i][d + q];
        }
        for (int c = 0; c < k; c++) {
            for (int q = 0; q < d; q++) centroids[c][q] /= Math.max(1, members[c]);
            for (int q = 0; q < g; q++) geoCentroids[c][q] /= Math.max(1, members[c]);
        }
        PhaseLabeler.Match[] matches = new PhaseLabeler.Match[k];
        String[] phase = new String[k];
        String[] proto = new String[k];
        for (int c = 0; c < k; c++) {
            matches[c] = labeler.match(centroids[c], geoCentroids[c]);
            phase[c] = matches[c].label();
            proto[c] = ReferenceCrystals.prototypeToken(matches[c].prototype(), matches[c].prototypeSite());
        }
        return new Named(centroids, geoCentroids, matches, phase, proto);
    }

    /** Pass 2: labels every atom from the cache and writes the per-frame and per-atom outputs. */
    private Labelled writeLabels(AtomicOutput out, Described described, Fit fit, Named named, List<String> phases, Interfaces interfaces,
            Standardizer scaler, int d) throws IOException {
        ElementClusters model = fit.model();
        boolean atoms = cfg.output().writeAtoms();
        List<FrameSummary> summaries = new ArrayList<>();
        Profile lastProfile = null;
        long[] clusterCount = new long[model.k()];
        long[] clusterInterface = new long[model.k()]; // atom-frames of the cluster relabelled interface:A|B
        try (FrameSource src = open();
                DataInputStream fi = new DataInputStream(new BufferedInputStream(Files.newInputStream(described.cache()), CACHE_BUFFER));
                BufferedWriter fr = Files.newBufferedWriter(out.file("phase_fractions.csv"));
                BufferedWriter pr = Files.newBufferedWriter(out.file("phase_profile.csv"));
                BufferedWriter th = Files.newBufferedWriter(out.file("thickness.csv"));
                BufferedWriter xyz = atoms ? Files.newBufferedWriter(out.file("labels.extxyz")) : null;
                BufferedWriter csv = atoms ? Files.newBufferedWriter(out.file("labels.csv")) : null;
                ProgressBar pb = bar("labels", described.frames())) {
            fr.write("frame,step,time,atoms," + String.join(",", phases) + "\n");
            pr.write("frame,step,time,bin,lo_A,hi_A,atoms," + String.join(",", phases) + "\n");
            th.write("frame,step,time,thickness_A,interphase_bins,bin_width_A\n");
            if (csv != null) csv.write("frame,step,time,index,element,type,cluster,phase,x,y,z,prototype\n");
            ExtXyzWriter xw = xyz == null ? null : new ExtXyzWriter(xyz);
            Frame f;
            long index = 0;
            int fidx = 0;
            double[] row = new double[d];
            while ((f = src.next()) != null) {
                if (index++ % cfg.input().every() != 0) continue;
                int n = f.size();
                int[] cl = new int[n];
                String[] ph = new String[n];
                String[] proto = new String[n];
                double[] counts = new double[phases.size()];
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < d; k++) row[k] = fi.readFloat();
                    double[] zr = scaler.apply(row);
                    int c = model.predict(zr, fit.reduce(zr));
                    cl[i] = c;
                    ph[i] = c < 0 ? PhaseLabeler.UNASSIGNED : named.phase()[c];
                    proto[i] = c < 0 ? "none" : named.prototype()[c];
                    if (c >= 0) clusterCount[c]++;
                }
                String[] binned = interfaces.relabel(f, ph); // ph gets interface:A|B labels; binned the column names
                for (int i = 0; i < n; i++) if (cl[i] >= 0 && binned[i].equals(Interfaces.INTERFACE)) clusterInterface[cl[i]]++;
                for (int i = 0; i < n; i++) counts[phases.indexOf(binned[i])]++;
                for (int p = 0; p < counts.length; p++) counts[p] /= n;
                Profile prof = Profile.of(f, binned, phases, cfg.output().binWidth());
                double thick = prof.interphaseThickness(ReferenceCrystals.LI_METAL, ReferenceCrystals.ELECTROLYTE);
                String head = fidx + "," + f.step() + "," + time(f.time());
                fr.write(head + "," + n);
                for (double c : counts) fr.write("," + num(c));
                fr.write("\n");
                prof.writeCsv(pr, head);
                th.write(head + "," + num(thick) + "," + prof.interphaseBins(ReferenceCrystals.LI_METAL, ReferenceCrystals.ELECTROLYTE)
                        + "," + num(prof.binWidth()) + "\n");
                if (xw != null) xw.write(f, "cluster", cl, List.of("phase", "prototype"), List.of(ph, proto));
                if (csv != null) writeAtomRows(csv, f, head, cl, ph, proto);
                summaries.add(new FrameSummary(f.step(), f.time(), n, counts, thick));
                lastProfile = prof;
                fidx++;
                if (pb != null) pb.step();
            }
        }
        return new Labelled(summaries, lastProfile, clusterCount, clusterInterface);
    }

    private static void writeAtomRows(BufferedWriter csv, Frame f, String head, int[] cl, String[] ph, String[] proto) throws IOException {
        StringBuilder sb = new StringBuilder();
        double[] x = f.positions();
        for (int i = 0; i < f.size(); i++) {
            sb.setLength(0);
            sb.append(head).append(',').append(i).append(',').append(f.elements()[i]).append(',').append(f.types()[i])
                    .append(',').append(cl[i]).append(',').append(ph[i]).append(',').append(num(x[3 * i]))
                    .append(',').append(num(x[3 * i + 1])).append(',').append(num(x[3 * i + 2])).append(',').append(proto[i])
                    .append('\n');
            csv.write(sb.toString());
        }
    }

    /** clusters.csv: per cluster its size, name, match and centroid (raw features and geometry). */
    private static void writeClusterTable(AtomicOutput out, FeatureComputer fc, FeatureComputer geo, ElementClusters model, Named named,
            Labelled labelled, Standardizer scaler) throws IOException {
        double[][] raw = rawCentroids(named, scaler);
        try (BufferedWriter w = Files.newBufferedWriter(out.file("clusters.csv"))) {
            w.write("cluster,atom_frames,phase,nearest_phase,nearest_site,distance,assigned,prototype,prototype_site,geometry_distance,reason,"
                    + String.join(",", fc.featureNames()) + "," + String.join(",", geo.featureNames()) + "\n");
            for (int c = 0; c < model.k(); c++) {
                PhaseLabeler.Match mt = named.matches()[c];
                StringBuilder sb = new StringBuilder();
                sb.append(c).append(',').append(labelled.clusterCount()[c]).append(',').append(named.phase()[c]).append(',').append(mt.phase())
                        .append(',').append(mt.site()).append(',').append(num(mt.distance())).append(',').append(mt.assigned())
                        .append(',').append(mt.prototype()).append(',').append(mt.prototypeSite()).append(',').append(num(mt.geometryDistance()))
                        .append(',').append(mt.reason());
                for (double v : raw[c]) sb.append(',').append(num(v));
                for (double v : named.geoCentroids()[c]) sb.append(',').append(num(v));
                w.write(sb + "\n");
            }
        }
    }

    /** Cluster centroids in raw feature units. */
    private static double[][] rawCentroids(Named named, Standardizer scaler) {
        double[][] c = named.centroids();
        double[][] raw = new double[c.length][];
        for (int q = 0; q < c.length; q++) {
            raw[q] = new double[c[q].length];
            for (int k = 0; k < c[q].length; k++) raw[q][k] = c[q][k] * scaler.scale()[k] + scaler.mean()[k];
        }
        return raw;
    }

    private void writePlots(AtomicOutput out, Sample sample, Fit fit, Named named, Labelled labelled, List<String> phases,
            Clusterer clusterer, List<String> elements) throws IOException {
        double[][] pz = Samples.subsample(sample.z(), PLOT_SAMPLE, cfg.seed() + PLOT_SEED_OFFSET);
        Pca pca = pca(pz, 2);
        int[] pl = new int[pz.length];
        for (int i = 0; i < pz.length; i++) pl[i] = fit.model().predict(pz[i], fit.reduce(pz[i]));
        Plots.pcaMap(out, pca, pz, pl, named.phase());
        if (clusterer.hasDecisionGraph()) Plots.decisionGraph(out, fit.model(), elements);
        List<FrameSummary> summaries = labelled.summaries();
        Plots.fractions(out, summaries, phases);
        if (labelled.lastProfile() != null) Plots.profile(out, labelled.lastProfile(), phases, summaries.get(summaries.size() - 1));
    }

    /** Tells the user which outputs of an earlier run in the directory this run removed without rewriting. */
    private void noteRemovedOutputs(AtomicOutput out) {
        if (out.removedStale().isEmpty()) return;
        String skipped = (cfg.output().writeAtoms() ? "" : " --no-atoms") + (cfg.output().plots() ? "" : " --no-plots");
        err.println("interphase: note: removed " + String.join(", ", out.removedStale()) + " of an earlier run from "
                + cfg.output().outDir() + ": this run (" + skipped.strip() + ") did not write them");
        err.flush();
    }

    /** Geometric descriptor of a frame, with the search radius shrunk to half the box for small periodic boxes. */
    private static double[] geometryOf(FeatureComputer geo, Frame f, ForkJoinPool pool) {
        double w = Double.MAX_VALUE;
        double[] widths = f.box().perpendicularWidths();
        for (int k = 0; k < 3; k++) if (f.box().isPeriodic(k)) w = Math.min(w, widths[k]);
        if (2 * SANN_CUTOFF < w) return geo.compute(f);
        return new FeatureComputer(List.of(new SannGeometry(SANN_SMALL_BOX_FRACTION * w)), pool).compute(f);
    }

    /** PCA whose failures are one-line input errors. */
    private static Pca pca(double[][] x, int k) {
        try {
            return Pca.fit(x, k);
        } catch (IllegalArgumentException e) {
            throw new InputException("PCA of the descriptors: " + e.getMessage());
        }
    }

    private static double[][] project(Pca p, double[][] z) {
        double[][] y = new double[z.length][];
        for (int i = 0; i < z.length; i++) y[i] = p.transform(z[i]);
        return y;
    }

    /** A time for the CSV files: empty when the input has no time (LAMMPS dumps without dump_modify time yes). */
    static String time(double t) {
        return Double.isNaN(t) ? "" : num(t);
    }

    static String num(double v) {
        if (Double.isNaN(v)) return "nan";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        String t = String.format(Locale.ROOT, "%.6g", v);
        if (t.contains(".") && !t.contains("e")) t = t.replaceAll("0+$", "").replaceAll("\\.$", "");
        return t;
    }
}
