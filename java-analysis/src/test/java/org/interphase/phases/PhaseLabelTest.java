package org.interphase.phases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.interphase.clustering.Metrics;
import org.interphase.io.Frame;
import org.interphase.neighbors.CellList;
import org.interphase.testutil.Synthetic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Reference crystals against their crystallography, and end-to-end labelling of a synthetic Li | LiCl cell. */
class PhaseLabelTest {

    /** Neighbour counts of atom i within r of the given element in a perfect (unrattled) supercell. */
    private static int count(Frame f, int i, double r, String element) {
        int[] c = new int[1];
        new CellList(f.box(), f.positions(), r).forEachNeighbor(i, (j, dx, dy, dz, r2) -> {
            if (f.elements()[j].equals(element)) c[0]++;
        });
        return c[0];
    }

    private static int first(Frame f, String element) {
        for (int i = 0; i < f.size(); i++) if (f.elements()[i].equals(element)) return i;
        throw new AssertionError(element);
    }

    @Test
    void referenceCrystalsHaveTheirTextbookShells() {
        // bcc: 8 at a*sqrt(3)/2 = 3.040; antifluorite Li: 4 S at a*sqrt(3)/4 = 2.473; rock salt: 6 Cl at a/2 = 2.565;
        // argyrodite: P has 4 S at 2.06 A (PS4 tetrahedra); Li3P: P has Li neighbours only.
        Frame li = ReferenceCrystals.bccLi().supercell(10, 0, 1).frame();
        assertEquals(8, count(li, 0, 3.04 + 1e-3, "Li") - count(li, 0, 3.04 - 1e-3, "Li"));
        Frame s = ReferenceCrystals.li2s().supercell(10, 0, 1).frame();
        int liIdx = first(s, "Li");
        assertEquals(4, count(s, liIdx, 5.71 * Math.sqrt(3) / 4 + 1e-3, "S"));
        assertEquals(0, count(s, liIdx, 5.71 * Math.sqrt(3) / 4 - 1e-3, "S"));
        Frame cl = ReferenceCrystals.licl().supercell(10, 0, 1).frame();
        assertEquals(6, count(cl, first(cl, "Li"), 2.566, "Cl"));
        Frame arg = ReferenceCrystals.argyrodite().supercell(10, 0, 1).frame();
        assertEquals(4, count(arg, first(arg, "P"), 2.1, "S"));
        assertEquals(52, arg.size());
        Map<String, Integer> sites = new HashMap<>();
        for (String st : ReferenceCrystals.argyrodite().sites()) sites.merge(st, 1, Integer::sum);
        assertEquals(Map.of("Li(24g)", 24, "P(4b)", 4, "S(4c)", 4, "S(16e)", 16, "Cl(4a)", 4), sites);
        Frame p = ReferenceCrystals.li3p().supercell(10, 0, 1).frame();
        int pi = first(p, "P");
        assertEquals(0, count(p, pi, 3.5, "P"));
        assertTrue(count(p, pi, 3.2, "Li") >= 8, "P in Li3P is surrounded by Li");
    }

    /** Runs 'interphase analyze' on synthetic Li | LiCl slabs; returns the labels.csv lines. */
    private static List<String> analyzeSlabs(Path tmp, int frames, String... options) throws Exception {
        Path xyz = tmp.resolve("slabs.extxyz");
        Synthetic.writeExtXyz(xyz, 4, 8, 5, frames, 0.08);
        Path out = tmp.resolve("out");
        StringWriter err = new StringWriter();
        CommandLine cl = org.interphase.cli.Main.commandLine();
        cl.setErr(new PrintWriter(err));
        List<String> args = new java.util.ArrayList<>(List.of("analyze", xyz.toString(), "-o", out.toString(), "-q", "--no-plots"));
        args.addAll(List.of(options));
        assertEquals(0, cl.execute(args.toArray(String[]::new)), err.toString());
        return Files.readAllLines(out.resolve("labels.csv"));
    }

    /** Every slab atom named right or 'unassigned', none with the other crystal's name, at least 75 % right. */
    private static void assertNamesBulkAtoms(List<String> lines, String what) {
        int n = lines.size() - 1;
        int[] sc = score(lines);
        System.out.println(what + " labelling: " + sc[0] + " of " + n + " right, " + sc[1] + " wrongly named");
        assertEquals(0, sc[1], "no atom may get the other crystal's name");
        assertTrue(sc[0] >= 0.75 * n, "bulk atoms labelled: " + sc[0] + " of " + n);
    }

    /** Counts {right, wrongly named} labels of the first frame against the synthetic truth. */
    private static int[] score(List<String> lines) {
        Synthetic.Cell c0 = Synthetic.liLiCl(4, 8, 5, 0.08, 100);
        int phaseCol = List.of(lines.get(0).split(",")).indexOf("phase");
        int right = 0, wrongName = 0;
        for (int i = 0; i < c0.elements().size(); i++) {
            String phase = lines.get(1 + i).split(",")[phaseCol];
            if (phase.equals(c0.truth().get(i))) right++;
            else if (!phase.equals("unassigned") && !phase.startsWith("interface:")) wrongName++;
        }
        return new int[] {right, wrongName};
    }

    @Test
    void syntheticLiAndLiClSlabsAreLabelledCorrectly(@TempDir Path tmp) throws Exception {
        List<String> lines = analyzeSlabs(tmp, 2, "--threads", "2");
        Path out = tmp.resolve("out");
        Synthetic.Cell c0 = Synthetic.liLiCl(4, 8, 5, 0.08, 100);
        int n = c0.elements().size();
        assertEquals(2 * n + 1, lines.size());
        int[] truth = new int[n];
        int[] got = new int[n];
        List<String> names = List.of("Li", "LiCl", "Li2S", "Li3P", "Li6PS5Cl", "unassigned");
        for (int i = 0; i < n; i++) {
            String[] t = lines.get(1 + i).split(",");
            assertEquals(c0.elements().get(i), t[4]);
            truth[i] = names.indexOf(c0.truth().get(i));
            got[i] = names.indexOf(t[7]);
        }
        double ari = Metrics.adjustedRand(truth, got);
        int wrong = 0;
        for (int i = 0; i < n; i++) if (truth[i] != got[i]) wrong++;
        System.out.println("synthetic Li | LiCl: ARI vs truth = " + ari + ", wrongly named atoms " + wrong + " of " + n);
        assertTrue(ari >= 0.95, "ARI " + ari);
        assertTrue(wrong <= n / 50, "wrong names: " + wrong);
        String report = Files.readString(out.resolve("report.txt"));
        assertTrue(report.contains("Li ") && report.contains("LiCl"), report);
        for (String f : List.of("labels.extxyz", "phase_fractions.csv", "phase_profile.csv", "thickness.csv", "clusters.csv")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        // fractions: 576 Li-metal atoms and 640 LiCl atoms per frame
        String[] fr = Files.readAllLines(out.resolve("phase_fractions.csv")).get(1).split(",");
        assertEquals(576.0 / 1216, Double.parseDouble(fr[4]), 0.02);
    }

    @Test
    void soapDescriptorsNameBulkAtomsAndLeaveInterfaceAtomsUnassigned(@TempDir Path tmp) throws Exception {
        List<String> lines = analyzeSlabs(tmp, 1, "--soap", "3.5:3:3:0.5", "-k", "6");
        assertNamesBulkAtoms(lines, "SOAP");
    }

    @Test
    void latentFeaturesOfTheShippedModelNameBulkAtoms(@TempDir Path tmp) throws Exception {
        Path model = Path.of(System.getProperty("interphase.root", "..")).resolve("models/li-p-s-cl-allegro.f64.onnx");
        List<String> lines = analyzeSlabs(tmp, 1, "--latent", model.toString(), "-k", "6");
        assertNamesBulkAtoms(lines, "latent");
    }

    @Test
    void pristineLiArgyroditeInterfaceFromBuildCell(@TempDir Path tmp) throws Exception {
        // the unrelaxed cell of `interphase build-cell` (Li(001) | Li6PS5Cl(001) | Li): apart from a few atoms in the
        // contact planes every atom is Li metal or argyrodite, and the interphase is at most one bin per interface
        Path data = tmp.resolve("cell.data");
        CommandLine cl = org.interphase.cli.Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertEquals(0, cl.execute("build-cell", "-o", data.toString()), err.toString());
        Path out = tmp.resolve("out");
        cl = org.interphase.cli.Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(0, cl.execute("analyze", data.toString(), "-o", out.toString(), "-q", "--no-plots"), err.toString());
        List<String> lines = Files.readAllLines(out.resolve("labels.csv"));
        Map<String, Integer> byPhase = new HashMap<>();
        for (String l : lines.subList(1, lines.size())) byPhase.merge(l.split(",")[7], 1, Integer::sum);
        int n = lines.size() - 1;
        System.out.println("build-cell interface: " + byPhase);
        int interfaces = byPhase.entrySet().stream().filter(e -> e.getKey().startsWith("interface:")).mapToInt(Map.Entry::getValue).sum();
        int other = n - byPhase.getOrDefault("Li", 0) - byPhase.getOrDefault("Li6PS5Cl", 0) - interfaces;
        assertTrue(other <= 0.03 * n, "atoms neither Li metal nor argyrodite: " + byPhase);
        int nElectrolyte = 0;
        for (String l : lines.subList(1, lines.size())) if (!l.split(",")[4].equals("Li")) nElectrolyte++;
        // P, S, Cl are 28 of the 52 atoms of an argyrodite cell: the argyrodite count must be close to nElectrolyte * 52/28
        assertEquals(nElectrolyte * 52.0 / 28, byPhase.get("Li6PS5Cl"), 0.02 * n);
        String[] th = Files.readAllLines(out.resolve("thickness.csv")).get(1).split(",");
        assertTrue(Double.parseDouble(th[3]) <= 2 * Double.parseDouble(th[5]) + 1e-9, "thickness " + th[3]);
    }
}
