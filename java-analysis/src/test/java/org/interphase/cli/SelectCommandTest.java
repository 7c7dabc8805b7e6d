package org.interphase.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.interphase.io.ExtXyzReader;
import org.interphase.io.Frame;
import org.interphase.io.TypeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code interphase select} end to end on trajectories whose local environments are known by construction: three
 * crystal structures (simple-cubic Li, rock-salt LiCl, fcc Cl; 64 atoms each, slightly rattled), interleaved. With
 * --max 3 the selection must take the most uncertain candidate of each structure. Every bad input: one ERROR line,
 * exit code 2, no output file.
 */
class SelectCommandTest {
    @TempDir
    Path tmp;

    private record Run(int rc, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new Run(rc, out.toString(), err.toString());
    }

    private static final int N = 64;

    /** The header DeePMD-kit's pair style writes. */
    private static final String DEVI_HEADER = "#       step         max_devi_v         min_devi_v         avg_devi_v"
            + "         max_devi_f         min_devi_f         avg_devi_f\n";

    /** Atoms of structure kind (0 sc Li, 1 rock-salt LiCl, 2 fcc Cl) with a rattle; the box is cubic. */
    private static String frame(int kind, long step, long seed) {
        Random r = new Random(seed);
        List<double[]> x = new ArrayList<>();
        List<String> el = new ArrayList<>();
        double l;
        if (kind == 0) { // simple cubic Li, a = 2.7, 4x4x4
            double a = 2.7;
            l = 4 * a;
            for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) for (int k = 0; k < 4; k++) {
                x.add(new double[] {i * a, j * a, k * a});
                el.add("Li");
            }
        } else if (kind == 1) { // rock salt, a = 5.14, 2x2x2, Li first
            double a = 5.14;
            l = 2 * a;
            double[][] li = {{0, 0, 0}, {.5, .5, 0}, {.5, 0, .5}, {0, .5, .5}};
            for (String e : new String[] {"Li", "Cl"}) {
                for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 2; k++) for (double[] b : li) {
                    double s = e.equals("Li") ? 0 : 0.5;
                    x.add(new double[] {(i + b[0] + s) * a, (j + b[1]) * a, (k + b[2]) * a});
                    el.add(e);
                }
            }
        } else { // fcc Cl, a = 5.0, 2x2x4 -> cubic box would not fit: use 2x2x4 in a 10x10x20 box
            double a = 5.0;
            l = 2 * a;
            double[][] fcc = {{0, 0, 0}, {.5, .5, 0}, {.5, 0, .5}, {0, .5, .5}};
            for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 4; k++) for (double[] b : fcc) {
                x.add(new double[] {(i + b[0]) * a, (j + b[1]) * a, (k + b[2]) * a});
                el.add("Cl");
            }
        }
        double lz = kind == 2 ? 2 * l : l;
        StringBuilder sb = new StringBuilder();
        sb.append(x.size()).append('\n').append(String.format(Locale.ROOT,
                "Lattice=\"%s 0 0 0 %s 0 0 0 %s\" Properties=species:S:1:pos:R:3 step=%d pbc=\"T T T\"\n", l, l, lz, step));
        for (int i = 0; i < x.size(); i++) {
            double[] p = x.get(i);
            sb.append(String.format(Locale.ROOT, "%s %.6f %.6f %.6f%n", el.get(i), p[0] + 0.05 * r.nextGaussian(),
                    p[1] + 0.05 * r.nextGaussian(), p[2] + 0.05 * r.nextGaussian()));
        }
        return sb.toString();
    }

    /** 9 frames at steps 0, 10, .., 80: kinds 0,1,2,0,1,2,...; deviation rows with per-atom columns (worst atom = index 0). */
    private static final double[] MAX_F = {0.06, 0.09, 0.08, 0.12, 0.07, 0.14, 0.10, 0.11, 0.05};

    private Path trajectory() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int f = 0; f < MAX_F.length; f++) sb.append(frame(f % 3, 10L * f, f + 1));
        Path p = tmp.resolve("traj.extxyz");
        Files.writeString(p, sb.toString());
        return p;
    }

    private Path devi(String name, boolean atomic, int atoms, double[] maxF, long[] steps) throws IOException {
        StringBuilder sb = new StringBuilder(DEVI_HEADER);
        for (int f = 0; f < maxF.length; f++) {
            sb.append(String.format(Locale.ROOT, "%12d %18.6e %18.6e %18.6e %18.6e %18.6e %18.6e", steps[f], 0.01, 0.001, 0.005, maxF[f], 0.001, maxF[f] / 3));
            if (atomic) {
                for (int i = 0; i < atoms; i++) sb.append(String.format(Locale.ROOT, " %18.6e", i == 0 ? maxF[f] : maxF[f] * (0.1 + 0.8 * ((i * 37 + f) % 64) / 64.0)));
            }
            sb.append('\n');
        }
        Path p = tmp.resolve(name);
        Files.writeString(p, sb.toString());
        return p;
    }

    private static long[] steps(int n) {
        long[] s = new long[n];
        for (int i = 0; i < n; i++) s[i] = 10L * i;
        return s;
    }

    private static List<Frame> read(Path p) throws IOException {
        List<Frame> out = new ArrayList<>();
        try (ExtXyzReader r = new ExtXyzReader(p, TypeMap.parse("Li,P,S,Cl"))) {
            Frame f;
            while ((f = r.next()) != null) out.add(f);
        }
        return out;
    }

    @Test
    void maxPicksTheMostUncertainFrameOfEachStructure() throws IOException {
        Path traj = trajectory();
        // expected: per kind (frames f % 3 == kind), the step with the largest max_devi_f
        List<Long> expect = new ArrayList<>();
        for (int f = 0; f < MAX_F.length; f++) {
            boolean best = true;
            for (int g = f % 3; g < MAX_F.length; g += 3) if (MAX_F[g] > MAX_F[f]) best = false;
            if (best) expect.add(10L * f);
        }
        assertEquals(List.of(30L, 50L, 70L), expect);
        for (boolean atomic : new boolean[] {true, false}) {
            Path d = devi(atomic ? "atomic.out" : "plain.out", atomic, N, MAX_F, steps(MAX_F.length));
            Path out = tmp.resolve("sel.extxyz");
            Path csv = tmp.resolve("sel.csv");
            Run r = run("select", traj.toString(), "--devi", d.toString(), "--types", "Li,P,S,Cl", "--trust-lo", "0.05", "--trust-hi", "0.15",
                    "--max", "3", "-o", out.toString(), "--csv", csv.toString(), "--threads", "1");
            assertEquals(0, r.rc(), r.err());
            assertTrue(r.out().contains("selected 3 of 9 candidates"), r.out());
            List<Frame> sel = read(out);
            assertEquals(expect, sel.stream().map(Frame::step).toList(), "atomic=" + atomic + "\n" + r.out());
            // the clusters are the three structures
            List<String> rows = Files.readAllLines(csv);
            assertEquals("step,max_devi_v,min_devi_v,avg_devi_v,max_devi_f,min_devi_f,avg_devi_f,verdict,cluster,selected", rows.get(0));
            for (int f = 0; f < MAX_F.length; f++) {
                String[] c = rows.get(1 + f).split(",");
                assertEquals("candidate", c[7]);
                assertEquals(Integer.toString(f % 3), c[8], "cluster of frame " + f + " (structure " + f % 3 + ")");
                assertEquals(expect.contains(10L * f) ? "1" : "0", c[9]);
            }
            String header = Files.readAllLines(out).get(1);
            assertTrue(header.contains("max_devi_f=0.12 ") && header.contains("cluster=0") && header.contains(":id:I:1"), header);
            assertEquals(atomic, header.contains(":devi_f:R:1"), header);
        }
    }

    @Test
    void carveAroundTheMostUncertainAtom() throws IOException {
        Path traj = trajectory();
        Path d = devi("atomic.out", true, N, MAX_F, steps(MAX_F.length));
        Path out = tmp.resolve("carved.extxyz");
        Run r = run("select", traj.toString(), "--devi", d.toString(), "--types", "Li,P,S,Cl", "--trust-lo", "0.1", "--trust-hi", "0.15",
                "--carve", "3.2", "--buffer", "1.0", "-o", out.toString());
        assertEquals(0, r.rc(), r.err());
        List<Frame> sel = read(out);
        assertEquals(List.of(30L, 50L, 60L, 70L), sel.stream().map(Frame::step).toList());
        // step 30: simple cubic Li (a = 2.7) around atom 1: itself and 6 neighbours at 2.7 in the core (< 3.2), 12 at 3.82 in the
        // buffer (< 4.2), none of the 8 at 4.68
        assertEquals(19, sel.get(0).size(), r.out());
        // step 50: fcc Cl (a = 5.0) around atom 1: the centre alone in the core, its 12 neighbours at 3.54 in the buffer
        assertEquals(13, sel.get(1).size());
        String header = Files.readAllLines(out).get(1);
        assertTrue(header.contains("centre_id=1 ") && header.contains("core_atoms=7") && header.contains(":core:L:1") && header.contains("pbc=\"F F F\""), header);
        assertTrue(r.out().contains("centre_id"), r.out());
    }

    // ---------------------------------------------------------------- bad inputs

    private void assertFails(String expect, String... args) throws IOException {
        Path out = tmp.resolve("bad-out");
        Files.createDirectories(out);
        List<String> a = new ArrayList<>(Arrays.asList(args));
        a.addAll(List.of("-o", out.resolve("sel.extxyz").toString()));
        Run r = run(a.toArray(String[]::new));
        assertEquals(Main.EXIT_INPUT, r.rc(), "exit code for " + a + ": " + r.err());
        String e = r.err().strip();
        assertFalse(e.contains("\n"), "error must be one line: " + e);
        assertTrue(e.startsWith("interphase: error: "), e);
        assertTrue(e.contains(expect), "'" + e + "' should mention '" + expect + "'");
        assertFalse(e.contains("Exception") || e.contains("\tat "), "no exception names or stack traces: " + e);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(), s.toList(), "no output may be left after a failure");
        }
    }

    private String[] base(Path traj, Path devi, String... more) {
        List<String> a = new ArrayList<>(List.of("select", traj.toString(), "--devi", devi.toString(), "--types", "Li,P,S,Cl"));
        a.addAll(Arrays.asList(more));
        return a.toArray(String[]::new);
    }

    @Test
    void trustLevelsOutOfOrder() throws IOException {
        Path traj = trajectory();
        Path d = devi("a.out", true, N, MAX_F, steps(MAX_F.length));
        assertFails("--trust-lo 0.15 must be smaller than --trust-hi 0.05", base(traj, d, "--trust-lo", "0.15", "--trust-hi", "0.05"));
        assertFails("--trust-lo 0.1 must be smaller than --trust-hi 0.1", base(traj, d, "--trust-lo", "0.1", "--trust-hi", "0.1"));
        assertFails("give both --trust-lo-v and --trust-hi-v", base(traj, d, "--trust-lo", "0.05", "--trust-hi", "0.1", "--trust-lo-v", "0.1"));
        assertFails("Missing required option: '--trust-hi", base(traj, d, "--trust-lo", "0.05"));
        assertFails("--max must be >= 1", base(traj, d, "--trust-lo", "0.05", "--trust-hi", "0.15", "--max", "0"));
    }

    @Test
    void candidateStepMissingFromTheDump() throws IOException {
        Path traj = trajectory();
        long[] s = steps(MAX_F.length);
        s[4] = 45; // a candidate at a step the dump does not have
        Path d = devi("a.out", false, 0, MAX_F, s);
        assertFails("candidate step 45 (deviation file " + d + " line 6, max_devi_f 0.07) is not in the dump " + traj
                + ", which has 9 frames at steps 0, 10, 20, ..., 70, 80: pass the dump of the same run", base(traj, d, "--trust-lo", "0.05", "--trust-hi", "0.15"));
        // a missing step that is not a candidate is fine, and so are dump frames without a deviation row
        Path ok = devi("b.out", false, 0, new double[] {0.5, 0.07, 0.01}, new long[] {45, 10, 55});
        Path out = tmp.resolve("ok.extxyz");
        Run r = run("select", traj.toString(), "--devi", ok.toString(), "--types", "Li,P,S,Cl", "--trust-lo", "0.05", "--trust-hi", "0.15", "-o", out.toString());
        assertEquals(0, r.rc(), r.err());
        assertEquals(List.of(10L), read(out).stream().map(Frame::step).toList());
        assertTrue(r.out().contains("accurate   1") && r.out().contains("candidate  1") && r.out().contains("failed     1"), r.out());
    }

    @Test
    void perAtomColumnsDoNotMatchTheDump() throws IOException {
        Path traj = trajectory();
        Path d = devi("a.out", true, 5, MAX_F, steps(MAX_F.length));
        assertFails("line 2 (step 0) has 5 per-atom force deviations but the dump frame at step 0 has 64 atoms",
                base(traj, d, "--trust-lo", "0.05", "--trust-hi", "0.15", "--carve", "3"));
        assertFails("has 5 per-atom force deviations", base(traj, d, "--trust-lo", "0.05", "--trust-hi", "0.15"));
    }

    @Test
    void carveWithoutPerAtomColumnsOrTooLarge() throws IOException {
        Path traj = trajectory();
        Path d = devi("a.out", false, 0, MAX_F, steps(MAX_F.length));
        assertFails("--carve needs per-atom force deviations", base(traj, d, "--trust-lo", "0.05", "--trust-hi", "0.15", "--carve", "3"));
        Path a = devi("b.out", true, N, MAX_F, steps(MAX_F.length));
        assertFails("is not below half the box width", base(traj, a, "--trust-lo", "0.05", "--trust-hi", "0.15", "--carve", "4"));
        assertFails("--carve must be a radius > 0", base(traj, a, "--trust-lo", "0.05", "--trust-hi", "0.15", "--carve", "-1"));
    }

    @Test
    void malformedMissingOrUnreadableDeviationFile() throws IOException {
        Path traj = trajectory();
        Path bad = tmp.resolve("bad.out");
        Files.writeString(bad, DEVI_HEADER + "0 0.1 0.1 0.1 0.1 0.1 0.1\n10 0.1 0.1 0.1 0.1 oops 0.1\n");
        assertFails("deviation file " + bad + " line 3 column 6 is 'oops', not a number", base(traj, bad, "--trust-lo", "0.05", "--trust-hi", "0.15"));
        assertFails("deviation file " + tmp.resolve("none.out") + " does not exist: check the --devi path",
                base(traj, tmp.resolve("none.out"), "--trust-lo", "0.05", "--trust-hi", "0.15"));
        Path locked = tmp.resolve("locked.out");
        Files.writeString(locked, "0 0.1 0.1 0.1 0.1 0.1 0.1\n");
        if (locked.toFile().setReadable(false) && !Files.isReadable(locked)) { // not as root
            assertFails("cannot read deviation file", base(traj, locked, "--trust-lo", "0.05", "--trust-hi", "0.15"));
        }
    }

    @Test
    void atomIdsThatAreNotOneToN() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (long step : new long[] {0, 10}) {
            sb.append("ITEM: TIMESTEP\n").append(step).append("\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\n")
                    .append("ITEM: ATOMS id type x y z\n2 1 1 1 1\n3 1 3 1 1\n5 1 5 1 1\n");
        }
        Path dump = tmp.resolve("gaps.lammpstrj");
        Files.writeString(dump, sb.toString());
        Path d = devi("a.out", true, 3, new double[] {0.1, 0.1}, new long[] {0, 10});
        assertFails("the dump frame at step 0 has atom ids that are not 1..3 (id 2 at position 1)",
                base(dump, d, "--trust-lo", "0.05", "--trust-hi", "0.15"));
        // without per-atom columns the ids are just written out
        Path plain = devi("b.out", false, 0, new double[] {0.1, 0.01}, new long[] {0, 10});
        Path out = tmp.resolve("ids.extxyz");
        Run r = run(base(dump, plain, "--trust-lo", "0.05", "--trust-hi", "0.15", "-o", out.toString()));
        assertEquals(0, r.rc(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(5, lines.size());
        assertTrue(lines.get(2).endsWith(" 2") && lines.get(4).endsWith(" 5"), lines.toString());
    }
}
