package org.interphase.analysis;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.interphase.clustering.ClusterModel;
import org.interphase.clustering.ElementClusters;
import org.interphase.clustering.Pca;
import org.interphase.clustering.Standardizer;
import org.interphase.descriptors.CentreSpecies;
import org.interphase.descriptors.CoordinationNumbers;
import org.interphase.descriptors.Descriptor;
import org.interphase.descriptors.FeatureComputer;
import org.interphase.descriptors.LatentFeatures;
import org.interphase.descriptors.SannGeometry;
import org.interphase.descriptors.Soap;
import org.interphase.descriptors.SoapParameters;
import org.interphase.descriptors.Steinhardt;
import org.interphase.io.ExtXyzWriter;
import org.interphase.io.Frame;
import org.interphase.io.FrameSource;
import org.interphase.io.InputException;
import org.interphase.io.Trajectories;
import org.interphase.phases.PhaseLabeler;
import org.interphase.phases.ReferenceCrystals;
import org.interphase.phases.ReferenceRattle;

/**
 * read -> descriptors -> clustering -> phase labels -> outputs, in two streaming passes over the trajectory
 * (memory bounded in the number of frames): pass 1 computes descriptors frame by frame, caches them (float32) in
 * the staging directory and keeps a reservoir sample for fitting; pass 2 re-reads frames, labels every atom and
 * writes per-atom and per-frame outputs.
 */
public final class AnalysisPipeline {
    /** Canonical element order of the descriptors. */
    public static final List<String> BASE_ELEMENTS = List.of("Li", "P", "S", "Cl");

    /** Per-frame summary. */
    public record FrameSummary(long step, double time, int atoms, double[] fractions, double thickness) {
    }

    /** Result of a run. */
    public record Result(List<String> phases, List<FrameSummary> frames, ElementClusters model, String[] clusterPhase,
            PhaseLabeler.Match[] matches, long atomFrames, double descriptorSeconds, double totalSeconds, String report) {
    }

    private final AnalysisConfig cfg;
    private final PrintStream err;

    /** A pipeline for one configuration; progress goes to err. */
    public AnalysisPipeline(AnalysisConfig cfg, PrintStream err) {
        this.cfg = cfg;
        this.err = err;
    }

    /** Builds the descriptor set for the elements. */
    public static FeatureComputer features(List<String> elements, double cnOn, double cnCut, double qOn, double qCut, ForkJoinPool pool) {
        return features(elements, cnOn, cnCut, qOn, qCut, null, pool);
    }

    /** Builds the descriptor set, with SOAP appended when soap is not null. */
    public static FeatureComputer features(List<String> elements, double cnOn, double cnCut, double qOn, double qCut, SoapParameters soap,
            ForkJoinPool pool) {
        return features(elements, cnOn, cnCut, qOn, qCut, soap, null, pool);
    }

    /** Builds the descriptor set, with SOAP and then the model's latent features appended when given (the caller closes latent). */
    public static FeatureComputer features(List<String> elements, double cnOn, double cnCut, double qOn, double qCut, SoapParameters soap,
            LatentFeatures latent, ForkJoinPool pool) {
        CentreSpecies sp = new CentreSpecies(elements);
        CoordinationNumbers cn = new CoordinationNumbers(elements, cnOn, cnCut);
        Steinhardt q = new Steinhardt(new int[] {4, 6}, qOn, qCut);
        List<String> names = new ArrayList<>(sp.featureNames());
        names.addAll(cn.featureNames());
        names.addAll(q.featureNames());
        List<Descriptor> ds = new ArrayList<>(List.of(sp, cn, q));
        if (soap != null) {
            Soap so = new Soap(soap);
            ds.add(so);
            for (String n : so.featureNames()) names.add("soap_" + n);
        }
        if (latent != null) {
            ds.add(latent);
            names.addAll(latent.featureNames());
        }
        return new FeatureComputer(ds, names, pool);
    }

    private FrameSource open() throws IOException {
        return Trajectories.open(cfg.dump(), cfg.format(), cfg.typeMap(), cfg.group(), cfg.origin());
    }

    private ProgressBar bar(String task, long max) {
        boolean tty = System.console() != null && System.console().isTerminal();
        if (!cfg.progress() || !tty) return null;
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(err)).build();
    }

    /** Runs the analysis; outputs appear in the output directory only when everything succeeded. */
    public Result run() throws IOException {
        long t0 = System.nanoTime();
        LinkedHashSet<String> el = new LinkedHashSet<>(BASE_ELEMENTS);
        if (cfg.typeMap() != null) el.addAll(cfg.typeMap().elements());
        List<String> elements = List.copyOf(el);
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, cfg.threads()));
        try (AtomicOutput out = new AtomicOutput(cfg.outDir());
                LatentFeatures latent = cfg.latent() == null ? null : new LatentFeatures(cfg.latent(), cfg.threads())) {
            if (latent != null) latent.requireElements(new LinkedHashSet<>(elements));
            SoapParameters soap = cfg.soap() == null ? null
                    : new SoapParameters(cfg.soap().rCut(), cfg.soap().nMax(), cfg.soap().lMax(), cfg.soap().sigma(), cfg.soap().rbf(), elements);
            FeatureComputer fc = features(elements, cfg.cnOn(), cfg.cnCut(), cfg.qOn(), cfg.qCut(), soap, latent, pool);
            int d = fc.dimension();
            double[] weights = null;
            int cheap = 2 * elements.size() + 2;
            if (d > cheap) {
                // SOAP block weighted so that its total standardised variance equals that of the cheap block
                weights = new double[d];
                java.util.Arrays.fill(weights, 1.0);
                for (int k = cheap; k < d; k++) weights[k] = Math.sqrt((double) cheap / (d - cheap));
            }
            FeatureComputer geo = new FeatureComputer(List.of(new SannGeometry(SANN_CUTOFF)), SannGeometry.featureNames(), pool);
            int g = geo.dimension();
            PhaseLabeler labeler = new PhaseLabeler(fc, geo, ReferenceCrystals.all(), new ReferenceRattle(cfg.temperature(), cfg.rattle()),
                    cfg.seed(), cfg.threshold(), weights);
            Standardizer scaler = labeler.scaler();

            // ---- pass 1: descriptors, cache, reservoir sample
            java.nio.file.Path cache = out.scratch("features.f32");
            double[][] reservoir = new double[cfg.sample()][];
            long seen = 0;
            Random rnd = new Random(cfg.seed());
            long frames = 0;
            long atomFrames = 0;
            double descSeconds = 0;
            try (FrameSource src = open();
                    DataOutputStream fo = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(cache), 1 << 16));
                    ProgressBar pb = bar("descriptors", src.frameCountHint() < 0 ? -1 : src.frameCountHint())) {
                Frame f;
                long index = 0;
                while ((f = src.next()) != null) {
                    if (index++ % cfg.every() != 0) {
                        if (pb != null) pb.step();
                        continue;
                    }
                    for (String e : f.elements()) {
                        if (!el.contains(e)) {
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
            if (frames == 0) throw new InputException(cfg.dump() + " contains no frames: pass a trajectory with at least one frame");
            int m = (int) Math.min(seen, reservoir.length);
            double[][] z = new double[m][];
            double[][] zg = new double[m][]; // standardised features + raw geometry, subsampled together
            for (int i = 0; i < m; i++) {
                z[i] = scaler.apply(java.util.Arrays.copyOf(reservoir[i], d));
                zg[i] = java.util.Arrays.copyOf(z[i], d + g);
                System.arraycopy(reservoir[i], d, zg[i], d, g);
            }

            // ---- fit clustering and name clusters
            int sampleCap = cfg.method() == ClusterModel.Method.HDBSCAN || cfg.method() == ClusterModel.Method.DPC ? Math.min(m, 4000) : m;
            double[][] fitZG = ClusterModel.subsample(zg, sampleCap, cfg.seed());
            double[][] fitZ = new double[fitZG.length][];
            for (int i = 0; i < fitZ.length; i++) fitZ[i] = java.util.Arrays.copyOf(fitZG[i], d);
            // high-dimensional descriptors (SOAP) are clustered in the space of their first REDUCED principal components
            Pca reducer = d > REDUCED ? pca(fitZ, REDUCED) : null;
            double[][] fitY = reducer == null ? fitZ : project(reducer, fitZ);
            ElementClusters model;
            try {
                // per element for the 10 cheap features; SOAP/latent spaces are clustered globally (per element, the silhouette
                // there prefers splitting interface atoms, which SOAP sees from far, from all bulk atoms of the element)
                model = ElementClusters.fit(fitZ, fitY, cfg.perElement() && d == cheap ? elements.size() : 0, elements, cfg.method(), cfg.k(), cfg.kMin(), cfg.kMax(),
                        cfg.criterion(), cfg.seed(), cfg.minClusterSize(), cfg.dpc());
            } catch (IllegalArgumentException e) {
                throw new InputException(cfg.method() == ClusterModel.Method.DPC ? e.getMessage()
                        : e.getMessage() + ": use a smaller --k or a larger trajectory");
            }
            // centroids in the full standardised space (mean of the fitted sample members) for naming
            double[][] centroids = new double[model.k()][d];
            double[][] geoCentroids = new double[model.k()][g];
            int[] members = new int[model.k()];
            for (int i = 0; i < fitZ.length; i++) {
                int c = model.sampleLabels()[i];
                if (c < 0) continue;
                members[c]++;
                for (int k = 0; k < d; k++) centroids[c][k] += fitZ[i][k];
                for (int k = 0; k < g; k++) geoCentroids[c][k] += fitZG[i][d + k];
            }
            for (int c = 0; c < model.k(); c++) {
                for (int k = 0; k < d; k++) centroids[c][k] /= Math.max(1, members[c]);
                for (int k = 0; k < g; k++) geoCentroids[c][k] /= Math.max(1, members[c]);
            }
            PhaseLabeler.Match[] matches = new PhaseLabeler.Match[model.k()];
            String[] clusterPhase = new String[model.k()];
            String[] clusterProto = new String[model.k()];
            for (int c = 0; c < model.k(); c++) {
                matches[c] = labeler.match(centroids[c], geoCentroids[c]);
                clusterPhase[c] = matches[c].label();
                clusterProto[c] = ReferenceCrystals.prototypeToken(matches[c].prototype(), matches[c].prototypeSite());
            }
            List<String> phases = new ArrayList<>(labeler.phases());
            phases.add(Interfaces.INTERFACE);
            phases.add(PhaseLabeler.UNASSIGNED);
            Interfaces interfaces = new Interfaces(fc.cutoff(), labeler.phases());

            // ---- pass 2: labels and outputs
            List<FrameSummary> summaries = new ArrayList<>();
            Profile lastProfile = null;
            long[] clusterCount = new long[model.k()];
            long[] clusterInterface = new long[model.k()]; // atom-frames of the cluster relabelled interface:A|B
            try (FrameSource src = open();
                    DataInputStream fi = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(cache), 1 << 16));
                    BufferedWriter fr = Files.newBufferedWriter(out.file("phase_fractions.csv"));
                    BufferedWriter pr = Files.newBufferedWriter(out.file("phase_profile.csv"));
                    BufferedWriter th = Files.newBufferedWriter(out.file("thickness.csv"));
                    BufferedWriter xyz = cfg.writeAtoms() ? Files.newBufferedWriter(out.file("labels.extxyz")) : null;
                    BufferedWriter csv = cfg.writeAtoms() ? Files.newBufferedWriter(out.file("labels.csv")) : null;
                    ProgressBar pb = bar("labels", frames)) {
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
                    if (index++ % cfg.every() != 0) continue;
                    int n = f.size();
                    int[] cl = new int[n];
                    String[] ph = new String[n];
                    String[] proto = new String[n];
                    double[] counts = new double[phases.size()];
                    for (int i = 0; i < n; i++) {
                        for (int k = 0; k < d; k++) row[k] = fi.readFloat();
                        double[] zr = scaler.apply(row);
                        int c = model.predict(zr, reducer == null ? zr : reducer.transform(zr));
                        cl[i] = c;
                        ph[i] = c < 0 ? PhaseLabeler.UNASSIGNED : clusterPhase[c];
                        proto[i] = c < 0 ? "none" : clusterProto[c];
                        if (c >= 0) clusterCount[c]++;
                    }
                    String[] binned = interfaces.relabel(f, ph); // ph gets interface:A|B labels; binned the column names
                    for (int i = 0; i < n; i++) if (cl[i] >= 0 && binned[i].equals(Interfaces.INTERFACE)) clusterInterface[cl[i]]++;
                    for (int i = 0; i < n; i++) counts[phases.indexOf(binned[i])]++;
                    for (int p = 0; p < counts.length; p++) counts[p] /= n;
                    Profile prof = Profile.of(f, binned, phases, cfg.binWidth());
                    double thick = prof.interphaseThickness(ReferenceCrystals.LI_METAL, ReferenceCrystals.ELECTROLYTE);
                    String head = fidx + "," + f.step() + "," + time(f.time());
                    fr.write(head + "," + n);
                    for (double c : counts) fr.write("," + num(c));
                    fr.write("\n");
                    prof.writeCsv(pr, head);
                    th.write(head + "," + num(thick) + "," + prof.interphaseBins(ReferenceCrystals.LI_METAL, ReferenceCrystals.ELECTROLYTE)
                            + "," + num(prof.binWidth()) + "\n");
                    if (xw != null) xw.write(f, "cluster", cl, List.of("phase", "prototype"), List.of(ph, proto));
                    if (csv != null) {
                        StringBuilder sb = new StringBuilder();
                        double[] x = f.positions();
                        for (int i = 0; i < n; i++) {
                            sb.setLength(0);
                            sb.append(head).append(',').append(i).append(',').append(f.elements()[i]).append(',').append(f.types()[i])
                                    .append(',').append(cl[i]).append(',').append(ph[i]).append(',').append(num(x[3 * i]))
                                    .append(',').append(num(x[3 * i + 1])).append(',').append(num(x[3 * i + 2])).append(',').append(proto[i])
                                    .append('\n');
                            csv.write(sb.toString());
                        }
                    }
                    summaries.add(new FrameSummary(f.step(), f.time(), n, counts, thick));
                    lastProfile = prof;
                    fidx++;
                    if (pb != null) pb.step();
                }
            }
            Files.deleteIfExists(cache);

            // ---- cluster table, plots, report
            try (BufferedWriter w = Files.newBufferedWriter(out.file("clusters.csv"))) {
                w.write("cluster,atom_frames,phase,nearest_phase,nearest_site,distance,assigned,prototype,prototype_site,geometry_distance,reason,"
                        + String.join(",", fc.featureNames()) + "," + String.join(",", SannGeometry.featureNames()) + "\n");
                for (int c = 0; c < model.k(); c++) {
                    PhaseLabeler.Match mt = matches[c];
                    StringBuilder sb = new StringBuilder();
                    sb.append(c).append(',').append(clusterCount[c]).append(',').append(clusterPhase[c]).append(',').append(mt.phase())
                            .append(',').append(mt.site()).append(',').append(num(mt.distance())).append(',').append(mt.assigned())
                            .append(',').append(mt.prototype()).append(',').append(mt.prototypeSite()).append(',').append(num(mt.geometryDistance()))
                            .append(',').append(mt.reason());
                    double[] cen = centroids[c];
                    for (int k = 0; k < d; k++) sb.append(',').append(num(cen[k] * scaler.scale()[k] + scaler.mean()[k]));
                    for (int k = 0; k < g; k++) sb.append(',').append(num(geoCentroids[c][k]));
                    w.write(sb + "\n");
                }
            }
            if (cfg.plots()) {
                double[][] pz = ClusterModel.subsample(z, 5000, cfg.seed() + 1);
                Pca pca = pca(pz, 2);
                int[] pl = new int[pz.length];
                for (int i = 0; i < pz.length; i++) pl[i] = model.predict(pz[i], reducer == null ? pz[i] : reducer.transform(pz[i]));
                Plots.pcaMap(out, pca, pz, pl, clusterPhase);
                if (cfg.method() == ClusterModel.Method.DPC) Plots.decisionGraph(out, model, elements);
                Plots.fractions(out, summaries, phases);
                if (lastProfile != null) Plots.profile(out, lastProfile, phases, summaries.get(summaries.size() - 1));
            }
            double total = (System.nanoTime() - t0) * 1e-9;
            double[][] rawCentroids = new double[model.k()][d];
            for (int c = 0; c < model.k(); c++) for (int k = 0; k < d; k++) rawCentroids[c][k] = centroids[c][k] * scaler.scale()[k] + scaler.mean()[k];
            String report = Report.text(cfg, elements, fc, model, matches, clusterPhase, clusterCount, clusterInterface, phases, summaries,
                    atomFrames, descSeconds, total, labeler, rawCentroids);
            Files.writeString(out.file("report.txt"), report);
            out.commit("report.txt");
            if (!out.removedStale().isEmpty()) {
                String skipped = (cfg.writeAtoms() ? "" : " --no-atoms") + (cfg.plots() ? "" : " --no-plots");
                err.println("interphase: note: removed " + String.join(", ", out.removedStale()) + " of an earlier run from "
                        + cfg.outDir() + ": this run (" + skipped.strip() + ") did not write them");
                err.flush();
            }
            return new Result(phases, summaries, model, clusterPhase, matches, atomFrames, descSeconds, total, report);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Neighbour search radius of the species-agnostic geometric descriptor (A). */
    static final double SANN_CUTOFF = 5.0;

    /** Geometric descriptor of a frame, with the search radius shrunk to half the box for small periodic boxes. */
    private static double[] geometryOf(FeatureComputer geo, Frame f, ForkJoinPool pool) {
        double w = Double.MAX_VALUE;
        double[] widths = f.box().perpendicularWidths();
        for (int k = 0; k < 3; k++) if (f.box().isPeriodic(k)) w = Math.min(w, widths[k]);
        if (2 * SANN_CUTOFF < w) return geo.compute(f);
        return new FeatureComputer(List.of(new SannGeometry(0.4999 * w)), SannGeometry.featureNames(), pool).compute(f);
    }

    /** PCA whose failures are one-line input errors. */
    private static Pca pca(double[][] x, int k) {
        try {
            return Pca.fit(x, k);
        } catch (IllegalArgumentException e) {
            throw new InputException("PCA of the descriptors: " + e.getMessage());
        }
    }

    /** Descriptor spaces with more features than this are clustered on this many principal components. */
    static final int REDUCED = 20;

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
