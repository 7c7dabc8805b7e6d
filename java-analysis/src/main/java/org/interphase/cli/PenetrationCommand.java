package org.interphase.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.interphase.io.Frame;
import org.interphase.io.FrameSource;
import org.interphase.io.InputException;
import org.interphase.io.Messages;
import org.interphase.io.Trajectories;
import org.interphase.io.TypeMap;
import org.interphase.penetration.CellGeometry;
import org.interphase.penetration.LiPenetration;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code interphase li-penetration}: how far Li from the metal slab has moved into the electrolyte, vs time.
 * Needs the {@code .properties} file that {@code build-cell} wrote for the starting cell.
 */
@Command(name = "li-penetration", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Li penetration depth vs time: how far metal Li moved into the electrolyte.",
                "Reports, per frame, how far Li atoms that started in the metal slab lie beyond the as-built metal surfaces",
                "(max, 95th and 99th percentile over metal Li atoms) and how many crossed the mid-gap interface plane.",
                "Writes li_penetration.csv and li_penetration.png with --out."})
public final class PenetrationCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DUMP", description = "trajectory (LAMMPS dump h5md, text dump or extended XYZ)")
    Path dump;

    @Option(names = "--cell", required = true, paramLabel = "FILE", description = "cell.data.properties written by build-cell")
    Path cellFile;

    @Option(names = "--types", paramLabel = "LIST", description = "LAMMPS type -> element (default: ${DEFAULT-VALUE})")
    String types = "Li,P,S,Cl";

    @Option(names = "--out", paramLabel = "DIR", description = "write li_penetration.csv and li_penetration.png here")
    Path out;

    /** Runs the command; failures propagate to the CLI's one error path ({@link Main#describe}). */
    @Override
    public Integer call() throws IOException {
        run(spec.commandLine().getOut());
        return 0;
    }

    private void run(PrintWriter stdout) throws IOException {
        CellGeometry cell = CellGeometry.read(cellFile);
        if (out != null) {
            try {
                Files.createDirectories(out);
            } catch (IOException e) {
                throw new InputException("cannot create output directory " + out + ": " + Messages.ioCause(e) + ": choose a writable --out");
            }
        }
        LiPenetration tracker = new LiPenetration(cell);
        List<LiPenetration.Sample> samples = new ArrayList<>();
        try (FrameSource src = Trajectories.open(dump, Trajectories.Format.AUTO, TypeMap.parse(types), null, null)) {
            Frame f;
            while ((f = src.next()) != null) samples.add(tracker.accept(f));
        }
        if (samples.isEmpty()) throw new InputException(dump + " has no frames: did the run write its dump?");
        stdout.printf(Locale.ROOT, "Li penetration into the electrolyte (%d metal Li atoms; depth beyond the as-built metal surfaces)%n",
                cell.metalAtoms());
        stdout.printf(Locale.ROOT, "%10s %10s %9s %9s %9s %8s%n", "step", "time_ps", "max_A", "p95_A", "p99_A", "crossed");
        for (LiPenetration.Sample s : samples) {
            stdout.printf(Locale.ROOT, "%10d %10s %9.3f %9.3f %9.3f %8d%n", s.step(),
                    Double.isNaN(s.time()) ? "-" : String.format(Locale.ROOT, "%.3f", s.time()), s.maxDepth(), s.p95Depth(), s.p99Depth(), s.crossed());
        }
        stdout.flush();
        if (out != null) {
            writeCsv(out.resolve("li_penetration.csv"), samples);
            writePlot(out.resolve("li_penetration.png"), samples);
        }
    }

    private static void writeCsv(Path file, List<LiPenetration.Sample> samples) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("frame,step,time_ps,max_depth_A,p95_depth_A,p99_depth_A,crossed,crossed_fraction\n");
            for (int i = 0; i < samples.size(); i++) {
                LiPenetration.Sample s = samples.get(i);
                String time = Double.isNaN(s.time()) ? "" : String.format(Locale.ROOT, "%.6f", s.time());
                w.write(String.format(Locale.ROOT, "%d,%d,%s,%.6f,%.6f,%.6f,%d,%.6f%n", i, s.step(), time, s.maxDepth(),
                        s.p95Depth(), s.p99Depth(), s.crossed(), s.crossedFraction()));
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + Messages.ioCause(e) + ": choose a writable --out");
        }
    }

    private static void writePlot(Path file, List<LiPenetration.Sample> samples) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double[] t = new double[samples.size()];
        double[] max = new double[t.length];
        double[] p95 = new double[t.length];
        double[] p99 = new double[t.length];
        boolean timed = samples.stream().allMatch(s -> Double.isFinite(s.time()));
        for (int i = 0; i < t.length; i++) {
            LiPenetration.Sample s = samples.get(i);
            t[i] = timed ? s.time() : s.step();
            max[i] = s.maxDepth();
            p95[i] = s.p95Depth();
            p99[i] = s.p99Depth();
        }
        XYChart chart = new XYChartBuilder().width(800).height(500).title("Li penetration into the electrolyte")
                .xAxisTitle(samples.stream().allMatch(s -> Double.isFinite(s.time())) ? "time (ps)" : "step").yAxisTitle("depth beyond the metal surface (A)").build();
        chart.addSeries("max", t, max);
        chart.addSeries("99th percentile", t, p99);
        chart.addSeries("95th percentile", t, p95);
        try {
            BitmapEncoder.saveBitmap(chart, file.toString().replaceFirst("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + Messages.ioCause(e) + ": choose a writable --out");
        }
    }
}
