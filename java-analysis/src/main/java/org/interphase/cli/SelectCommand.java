package org.interphase.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import org.interphase.io.AtomicFile;
import org.interphase.io.ExtXyzWriter;
import org.interphase.io.Frame;
import org.interphase.io.FrameSource;
import org.interphase.io.InputException;
import org.interphase.io.TypeMap;
import org.interphase.select.Carver;
import org.interphase.select.ClusterSelection;
import org.interphase.select.DeviationFile;
import org.interphase.select.EnvironmentFeatures;
import org.interphase.select.TrustLevels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code interphase select DUMP --devi model_devi.out}: frames (or sub-cells around their most uncertain atom) for new
 * training data, chosen by the committee's model deviation with DP-GEN's trust levels. See docs/active-learning.md.
 */
@Command(name = "select", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Select frames for new training data from a committee's model deviation (DP-GEN's rule).",
                "A deviation row is a candidate if --trust-lo <= max_devi_f < --trust-hi, accurate below, failed at or above.",
                "With --max N, N candidates are spread over k-means clusters of local environments (the most uncertain of each).",
                "With --carve R, each selected frame becomes a sub-cell around its most uncertain atom.",
                "Writes the selection as extended XYZ (ASE, OVITO) with the deviations as per-frame info."})
public final class SelectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DUMP", description = "trajectory of the run (.h5 H5MD, LAMMPS text dump, or .extxyz)")
    Path dump;

    @Option(names = "--devi", required = true, paramLabel = "FILE",
            description = "model deviation file in DeePMD-kit's format: '# step max_devi_v min_devi_v avg_devi_v max_devi_f min_devi_f avg_devi_f' "
                    + "rows, optionally followed by one force deviation per atom (atom id order)")
    Path devi;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.extxyz", description = "selected frames (default: ${DEFAULT-VALUE})", defaultValue = "selected.extxyz")
    Path out;

    @Mixin
    DumpOptions input = new DumpOptions();

    @Option(names = "--trust-lo", required = true, paramLabel = "EV_A", description = "lower trust level on max_devi_f (eV/A)")
    double trustLo;

    @Option(names = "--trust-hi", required = true, paramLabel = "EV_A", description = "upper trust level on max_devi_f (eV/A)")
    double trustHi;

    @Option(names = "--trust-lo-v", paramLabel = "EV", description = "lower trust level on max_devi_v (eV); with --trust-hi-v, a row is a candidate if "
            + "either deviation is in its window (DP-GEN)")
    Double trustLoV;

    @Option(names = "--trust-hi-v", paramLabel = "EV", description = "upper trust level on max_devi_v (eV)")
    Double trustHiV;

    @Option(names = "--skip", paramLabel = "STEP", description = "ignore rows with step < STEP, e.g. equilibration (DP-GEN's model_devi_skip; default: ${DEFAULT-VALUE})",
            defaultValue = "0")
    long skip;

    @Option(names = "--max", paramLabel = "N", description = "select at most N frames, one per k-means cluster of candidates (default: all candidates)")
    Integer max;

    @Option(names = "--seed", description = "k-means seed (default: ${DEFAULT-VALUE})", defaultValue = "12345")
    long seed;

    @Option(names = "--carve", paramLabel = "R", description = "write a sub-cell of radius R (A) plus --buffer around each selected frame's most "
            + "uncertain atom instead of the whole frame (needs per-atom deviations)")
    Double carve;

    @Option(names = "--buffer", paramLabel = "A", description = "buffer shell around the --carve core (A; default: ${DEFAULT-VALUE})", defaultValue = "2.0")
    double buffer;

    @Option(names = "--vacuum", paramLabel = "A", description = "carved cells are cubes of side 2(R + buffer) + vacuum (A; default: ${DEFAULT-VALUE})",
            defaultValue = "6.0")
    double vacuum;

    @Option(names = "--carve-box", description = "make the carved cube periodic (default: a non-periodic cluster)")
    boolean carveBox;

    @Option(names = "--csv", paramLabel = "FILE", description = "also write one row per deviation step: deviations, verdict, cluster, selected")
    Path csv;

    @Option(names = "--cn-cutoff", paramLabel = "R_ON:R_CUT", description = "coordination switching start and cutoff in A (default: ${DEFAULT-VALUE})",
            defaultValue = "3.2:3.7")
    String cnCut;

    @Option(names = "--q-cutoff", paramLabel = "R_ON:R_CUT", description = "Steinhardt q4/q6 neighbour weights (default: ${DEFAULT-VALUE})", defaultValue = "3.2:3.7")
    String qCutoff;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads for the descriptors (default: all cores)")
    Integer threads;

    /** One candidate: its row and, once the dump was read, its frame's descriptor. */
    private static final class Candidate {
        final DeviationFile.Row row;
        double[] features;
        int cluster = -1;
        boolean selected;

        Candidate(DeviationFile.Row row) {
            this.row = row;
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        TrustLevels trust = new TrustLevels(trustLo, trustHi, trustLoV == null ? Double.NaN : trustLoV, trustHiV == null ? Double.NaN : trustHiV);
        if (max != null && max < 1) throw new InputException("--max must be >= 1, got " + max);
        if (skip < 0) throw new InputException("--skip must be a step >= 0, got " + skip);
        Carver carver = carve == null ? null : new Carver(carve, buffer, vacuum, carveBox);
        double[] cn = AnalyzeCommand.range("--cn-cutoff", cnCut);
        double[] qc = AnalyzeCommand.range("--q-cutoff", qCutoff);
        int nt = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (nt < 1 || nt > 4096) throw new InputException("--threads must be in 1..4096, got " + nt);
        TypeMap tm = input.typeMap();
        input.origin();
        if (csv != null && csv.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new InputException("--csv and -o name the same file " + out + ": choose two different files");
        }

        DeviationFile dev = DeviationFile.read(devi);
        if (carver != null && !dev.hasPerAtom()) {
            throw new InputException("--carve needs per-atom force deviations to find each frame's most uncertain atom, but " + devi
                    + " has only the 7 columns 'step max_devi_v ... avg_devi_f' per row: write the deviation file with per-atom deviations "
                    + "(keyword atomic of the pair style) or drop --carve");
        }
        // classify
        Map<TrustLevels.Verdict, Integer> count = new LinkedHashMap<>();
        for (TrustLevels.Verdict v : TrustLevels.Verdict.values()) count.put(v, 0);
        int skipped = 0;
        List<Candidate> cands = new ArrayList<>();
        Map<Long, Candidate> byStep = new HashMap<>();
        Map<Long, String> verdictOf = new HashMap<>();
        for (DeviationFile.Row r : dev.rows()) {
            if (r.step() < skip) {
                skipped++;
                verdictOf.put(r.step(), "skipped");
                continue;
            }
            TrustLevels.Verdict v = trust.classify(r);
            count.merge(v, 1, Integer::sum);
            verdictOf.put(r.step(), v.name().toLowerCase(Locale.ROOT));
            if (v == TrustLevels.Verdict.CANDIDATE) {
                Candidate c = new Candidate(r);
                cands.add(c);
                byStep.put(r.step(), c);
            }
        }
        boolean cluster = max != null && cands.size() > max;

        // pass 1: every candidate's frame exists (and matches the per-atom columns); descriptors when clustering
        List<Long> dumpSteps = new ArrayList<>();
        Set<Long> found = new HashSet<>();
        ForkJoinPool pool = new ForkJoinPool(nt);
        try (FrameSource src = input.open(dump, tm)) {
            EnvironmentFeatures feats = null;
            Frame f;
            while ((f = src.next()) != null) {
                dumpSteps.add(f.step());
                Candidate c = byStep.get(f.step());
                if (c == null || !found.add(f.step())) continue;
                checkAtoms(dev, c.row, f, src.atomIds());
                if (cluster) {
                    if (feats == null) feats = new EnvironmentFeatures(elements(tm, f), cn, qc, pool);
                    c.features = dev.hasPerAtom() ? feats.ofAtom(f, c.row.mostUncertain()) : feats.ofFrame(f);
                }
            }
        } finally {
            pool.shutdown();
        }
        List<Candidate> missing = cands.stream().filter(c -> !found.contains(c.row.step())).toList();
        if (!missing.isEmpty()) {
            Candidate m = missing.get(0);
            throw new InputException("candidate step " + m.row.step() + " (deviation file " + devi + " line " + m.row.line() + ", max_devi_f "
                    + ExtXyzWriter.exact(m.row.maxF()) + ")" + (missing.size() > 1 ? " and " + (missing.size() - 1) + " other candidate steps are" : " is")
                    + " not in the dump " + dump + ", which has " + describeSteps(dumpSteps)
                    + ": pass the dump of the same run, written at the deviation file's steps (same output interval)");
        }

        // choose
        ClusterSelection.Result chosen = null;
        if (cluster) {
            double[][] x = cands.stream().map(c -> c.features).toArray(double[][]::new);
            double[] maxF = cands.stream().mapToDouble(c -> c.row.maxF()).toArray();
            chosen = ClusterSelection.choose(x, maxF, max, seed);
            for (int i = 0; i < cands.size(); i++) cands.get(i).cluster = chosen.cluster()[i];
            for (int i : chosen.selected()) cands.get(i).selected = true;
        } else {
            for (Candidate c : cands) c.selected = true;
        }
        Set<Long> selectedSteps = new LinkedHashSet<>();
        for (Candidate c : cands) if (c.selected) selectedSteps.add(c.row.step());
        Map<Long, double[]> perAtom = dev.perAtom(selectedSteps);

        // pass 2: write the selected frames (or their carved cells) in dump order
        List<String> lines = new ArrayList<>();
        int[] frames = {0};
        final ClusterSelection.Result sel = chosen;
        AtomicFile.write(out, w -> {
            ExtXyzWriter xyz = new ExtXyzWriter(w);
            Set<Long> written = new HashSet<>();
            try (FrameSource src = input.open(dump, tm)) {
                Frame f;
                int index = -1;
                while ((f = src.next()) != null) {
                    index++;
                    Candidate c = byStep.get(f.step());
                    if (c == null || !c.selected || !written.add(f.step())) continue;
                    long[] ids = idsOf(src.atomIds(), f.size());
                    double[] e = perAtom.get(f.step());
                    Map<String, String> info = new LinkedHashMap<>();
                    info.put("source", dump.toString());
                    info.put("frame", Integer.toString(index));
                    info.put("devi_file", devi.toString());
                    DeviationFile.Row r = c.row;
                    info.put("max_devi_v", ExtXyzWriter.exact(r.maxV()));
                    info.put("min_devi_v", ExtXyzWriter.exact(r.minV()));
                    info.put("avg_devi_v", ExtXyzWriter.exact(r.avgV()));
                    info.put("max_devi_f", ExtXyzWriter.exact(r.maxF()));
                    info.put("min_devi_f", ExtXyzWriter.exact(r.minF()));
                    info.put("avg_devi_f", ExtXyzWriter.exact(r.avgF()));
                    info.put("cluster", Integer.toString(c.cluster));
                    String line;
                    if (carver != null) {
                        int centre = r.mostUncertain();
                        Carver.Carved cc = carver.carve(f, centre);
                        int m = cc.source().length;
                        long[] cid = new long[m];
                        double[] ce = new double[m];
                        for (int a = 0; a < m; a++) {
                            cid[a] = ids[cc.source()[a]];
                            ce[a] = e[cc.source()[a]];
                        }
                        info.put("centre_id", Long.toString(ids[centre]));
                        info.put("carve_radius", ExtXyzWriter.exact(carver.radius()));
                        info.put("carve_buffer", ExtXyzWriter.exact(carver.buffer()));
                        info.put("core_atoms", Integer.toString(cc.coreCount()));
                        info.put("source_atoms", Integer.toString(f.size()));
                        xyz.write(cc.cell(), List.of(ExtXyzWriter.Column.longs("id", cid), ExtXyzWriter.Column.reals("devi_f", ce),
                                ExtXyzWriter.Column.logicals("core", cc.core())), info);
                        line = String.format(Locale.ROOT, "%12d %12s %8s %8s %10d %6d %6d", f.step(), sci(r.maxF()), label(c.cluster),
                                members(sel, c.cluster), ids[centre], m, cc.coreCount());
                    } else {
                        List<ExtXyzWriter.Column> cols = new ArrayList<>();
                        cols.add(ExtXyzWriter.Column.longs("id", ids));
                        if (e != null) cols.add(ExtXyzWriter.Column.reals("devi_f", e));
                        xyz.write(f, cols, info);
                        line = String.format(Locale.ROOT, "%12d %12s %8s %8s %10s %6d", f.step(), sci(r.maxF()), label(c.cluster),
                                members(sel, c.cluster), e == null ? "-" : Long.toString(ids[r.mostUncertain()]), f.size());
                    }
                    lines.add(line);
                    frames[0]++;
                }
            }
        });
        if (csv != null) writeCsv(dev, verdictOf, byStep);

        // summary
        stdout.printf(Locale.ROOT, "interphase select: %d deviation rows in %s (%s), %d frames in %s%n", dev.rows().size(), devi,
                dev.hasPerAtom() ? "per-atom deviations of " + dev.atoms() + " atoms" : "no per-atom deviations", dumpSteps.size(), dump);
        stdout.printf(Locale.ROOT, "trust levels: %s <= max_devi_f < %s eV/A%s%n", ExtXyzWriter.exact(trust.fLo()), ExtXyzWriter.exact(trust.fHi()),
                trust.hasVirial() ? String.format(Locale.ROOT, ", or %s <= max_devi_v < %s eV", ExtXyzWriter.exact(trust.vLo()), ExtXyzWriter.exact(trust.vHi())) : "");
        stdout.printf(Locale.ROOT, "  accurate   %d%n  candidate  %d%n  failed     %d%n", count.get(TrustLevels.Verdict.ACCURATE),
                count.get(TrustLevels.Verdict.CANDIDATE), count.get(TrustLevels.Verdict.FAILED));
        if (skip > 0) stdout.printf(Locale.ROOT, "  skipped    %d (step < %d)%n", skipped, skip);
        String how = cluster ? "one per k-means cluster of " + (dev.hasPerAtom() ? "the most uncertain atom's environment" : "the frames' per-element environments")
                + " (species, coordination, q4, q6), the most uncertain of each" : "all candidates";
        stdout.printf(Locale.ROOT, "selected %d of %d candidates (%s) -> %s%s%n", frames[0], cands.size(), how, out,
                carver == null ? "" : String.format(Locale.ROOT, " as %s cells of radius %s + buffer %s A around the most uncertain atom",
                        carveBox ? "periodic" : "cluster", ExtXyzWriter.exact(carver.radius()), ExtXyzWriter.exact(carver.buffer())));
        if (!lines.isEmpty()) {
            if (carver != null) {
                stdout.printf(Locale.ROOT, "%12s %12s %8s %8s %10s %6s %6s%n", "step", "max_devi_f", "cluster", "members", "centre_id", "atoms", "core");
            } else {
                stdout.printf(Locale.ROOT, "%12s %12s %8s %8s %10s %6s%n", "step", "max_devi_f", "cluster", "members", "worst_id", "atoms");
            }
            for (String l : lines) stdout.println(l);
        }
        stdout.flush();
        return 0;
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.6e", v);
    }

    private static String label(int cluster) {
        return cluster < 0 ? "-" : Integer.toString(cluster);
    }

    private static String members(ClusterSelection.Result r, int cluster) {
        return r == null || cluster < 0 ? "-" : Integer.toString(r.size()[cluster]);
    }

    /** Elements of the descriptor: the type map's, else the frame's in order of first appearance. */
    private static List<String> elements(TypeMap tm, Frame f) {
        if (tm != null) return tm.elements();
        LinkedHashSet<String> s = new LinkedHashSet<>(List.of(f.elements()));
        return List.copyOf(s);
    }

    /** The frame's atom ids, or 1..N when the format stores none (LAMMPS H5MD is sorted by id). */
    private static long[] idsOf(long[] ids, int n) {
        if (ids != null) return ids;
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = i + 1;
        return out;
    }

    /** Per-atom deviations (ordered by atom id 1..N) must match the frame's atoms. */
    private void checkAtoms(DeviationFile dev, DeviationFile.Row r, Frame f, long[] ids) {
        if (!dev.hasPerAtom()) return;
        if (r.atoms() != f.size()) {
            throw new InputException("deviation file " + devi + " line " + r.line() + " (step " + r.step() + ") has " + r.atoms()
                    + " per-atom force deviations but the dump frame at step " + r.step() + " has " + f.size() + " atoms: "
                    + "the per-atom columns must be one per atom in atom id order; pass the deviation file and the dump of the same run");
        }
        if (ids != null) {
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] != i + 1) {
                    throw new InputException("the dump frame at step " + r.step() + " has atom ids that are not 1.." + f.size() + " (id " + ids[i]
                            + " at position " + (i + 1) + "), but per-atom deviations are ordered by atom id 1..N: renumber the atoms "
                            + "('reset_atoms id' in LAMMPS) before the run");
                }
            }
        }
    }

    private void writeCsv(DeviationFile dev, Map<Long, String> verdictOf, Map<Long, Candidate> byStep) throws IOException {
        AtomicFile.write(csv, w -> {
            w.write("step,max_devi_v,min_devi_v,avg_devi_v,max_devi_f,min_devi_f,avg_devi_f,verdict,cluster,selected\n");
            for (DeviationFile.Row r : dev.rows()) {
                Candidate c = byStep.get(r.step());
                w.write(r.step() + "," + ExtXyzWriter.exact(r.maxV()) + "," + ExtXyzWriter.exact(r.minV()) + "," + ExtXyzWriter.exact(r.avgV()) + ","
                        + ExtXyzWriter.exact(r.maxF()) + "," + ExtXyzWriter.exact(r.minF()) + "," + ExtXyzWriter.exact(r.avgF()) + ","
                        + verdictOf.get(r.step()) + "," + (c == null ? -1 : c.cluster) + "," + (c != null && c.selected ? 1 : 0) + "\n");
            }
        });
    }

    /** "21 frames at steps 0, 10, 20, ..., 200" (or "no frames"). */
    static String describeSteps(List<Long> steps) {
        if (steps.isEmpty()) return "no frames";
        StringBuilder sb = new StringBuilder();
        sb.append(steps.size()).append(steps.size() == 1 ? " frame at step " : " frames at steps ");
        if (steps.size() <= 8) {
            for (int i = 0; i < steps.size(); i++) sb.append(i > 0 ? ", " : "").append(steps.get(i));
        } else {
            for (int i = 0; i < 3; i++) sb.append(steps.get(i)).append(", ");
            sb.append("..., ").append(steps.get(steps.size() - 2)).append(", ").append(steps.get(steps.size() - 1));
        }
        return sb.toString();
    }
}
