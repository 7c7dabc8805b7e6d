package org.interphase.descriptors;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.interphase.io.Frame;

/**
 * Throughput benchmark of {@link Soap}, driven by benchmarks/soap_vs_dscribe.py (a test-scope main: compiled to
 * target/test-classes by {@code mvn -pl java-analysis test-compile}, run with target/test-classes and
 * target/classes on the class path).
 *
 * <p>Usage: {@code SoapBench --r-cut 5 --n-max 8 --l-max 6 --sigma 0.5 --rbf gto --species Li,P,S,Cl
 * --threads 2 --repeats 5 frame1.txt [frame2.txt ...]} where each frame file has the SOAP fixture
 * structure format (see src/test/python/make_soap_fixtures.py). Every atom of every frame is a centre; the
 * output arrays are allocated once and reused, as a pipeline would.
 * Prints one line {@code soap-bench key=value ...}; exit code 2 with a one-line message on bad input.
 */
public final class SoapBench {
    private SoapBench() {
    }

    /** Entry point. */
    public static void main(String[] args) {
        try {
            run(args);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("soap-bench: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) throws IOException {
        Map<String, String> opt = new HashMap<>();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) throw new IllegalArgumentException("option " + args[i] + " needs a value");
                opt.put(args[i].substring(2), args[++i]);
            } else {
                files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty()) throw new IllegalArgumentException("give at least one frame file");
        SoapParameters p = SoapParameters.of(num(opt, "r-cut", "5.0"), (int) num(opt, "n-max", "8"),
                (int) num(opt, "l-max", "6"), num(opt, "sigma", "0.5"), opt.getOrDefault("rbf", "gto"),
                List.of(opt.getOrDefault("species", "Li,P,S,Cl").split(",")));
        int threads = (int) num(opt, "threads", "1");
        int repeats = (int) num(opt, "repeats", "5");
        int warmup = (int) num(opt, "warmup", "3");
        List<Frame> frames = new ArrayList<>();
        for (Path f : files) frames.add(readFrame(f));
        long t0 = System.nanoTime();
        Soap soap = new Soap(p);
        double setup = (System.nanoTime() - t0) * 1e-9;
        int envs = 0;
        for (Frame f : frames) envs += f.size();
        double checksum = 0;
        double first = 0;
        double best = Double.POSITIVE_INFINITY;
        double total = 0;
        double cpuTotal = 0;
        double cpuBest = Double.POSITIVE_INFINITY;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<int[]> centres = new ArrayList<>();
        for (Frame f : frames) {
            int[] c = new int[f.size()];
            for (int i = 0; i < c.length; i++) c[i] = i;
            centres.add(c);
        }
        double[][] outs = new double[frames.size()][];
        for (int k = 0; k < frames.size(); k++) outs[k] = new double[frames.get(k).size() * soap.dimension()];
        for (int rep = -warmup; rep < repeats; rep++) {
            long cpu0 = mx.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            for (int k = 0; k < frames.size(); k++) soap.computeAll(frames.get(k), centres.get(k), threads, outs[k]);
            double dt = (System.nanoTime() - s) * 1e-9;
            double cpu = (mx.getCurrentThreadCpuTime() - cpu0) * 1e-9;
            if (rep == -warmup) first = dt;
            if (rep >= 0) {
                best = Math.min(best, dt);
                total += dt;
                cpuTotal += cpu;
                cpuBest = Math.min(cpuBest, cpu);
            }
        }
        for (double[] o : outs) {
            for (double v : o) checksum += v;
        }
        double mean = total / repeats;
        // CPU time of the calling thread: meaningful for threads=1 (everything runs on it), robust to machine load.
        double cpuRate = threads <= 1 ? envs / (cpuTotal / repeats) : Double.NaN;
        double cpuBestS = threads <= 1 ? cpuBest : Double.NaN;
        System.out.printf(Locale.ROOT,
                "soap-bench threads=%d envs=%d dimension=%d setup_s=%.4f first_s=%.4f mean_s=%.5f best_s=%.5f "
                        + "envs_per_s=%.1f envs_per_cpu_s=%.1f best_cpu_s=%.5f checksum=%.12e tabulated=%b table_error=%.2e%n",
                threads, envs, soap.dimension(), setup, first, mean, best, envs / mean, cpuRate, cpuBestS, checksum,
                soap.radialTabulated(), soap.radialTableError());
    }

    private static double num(Map<String, String> opt, String key, String def) {
        String v = opt.getOrDefault(key, def);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a number, got '" + v + "'");
        }
    }

    /** Reads the plain-text structure format of the SOAP fixtures ({@link SoapFixtures#parseStructure}). */
    static Frame readFrame(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            if (!l.isBlank() && !l.startsWith("#")) lines.add(l.strip());
        }
        try {
            return SoapFixtures.parseStructure(lines);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read frame file " + file + ": " + e.getMessage());
        }
    }
}
