package org.interphase.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Geometry of the generated argyrodite cell and of the Li | Li6PS5Cl | Li stack, against closed-form values. */
class InterfaceBuilderTest {

    static Path sharedData() {
        String shared = System.getProperty("interphase.shared");
        if (shared == null || shared.isBlank()) {
            String root = System.getProperty("interphase.root");
            if (root == null) fail("set -Dinterphase.shared=/path/to/shared (holds data/Li6PS5Cl_conventional.data)");
            shared = Path.of(root).resolve("../shared").toString();
        }
        Path p = Path.of(shared, "data", "Li6PS5Cl_conventional.data");
        if (!Files.isRegularFile(p)) fail("reference cell " + p + " is missing: pass -Dinterphase.shared=<dir with data/>");
        return p;
    }

    @Test
    void generatedArgyroditeMatchesTheReferenceDataFile() throws Exception {
        CrystalCell ref = CubicCellReader.read(sharedData());
        CrystalCell gen = Argyrodite.conventional();
        assertEquals(52, gen.size());
        assertEquals(Map.of("Li", 24, "P", 4, "S", 20, "Cl", 4), gen.composition());
        assertEquals(ref.composition(), gen.composition());
        assertEquals(ref.a(), gen.a(), 1e-9);
        // every reference atom has a generated atom of the same element within 1e-6 A (periodic)
        boolean[] used = new boolean[gen.size()];
        for (int i = 0; i < ref.size(); i++) {
            int match = -1;
            for (int j = 0; j < gen.size() && match < 0; j++) {
                if (!used[j] && gen.element(j).equals(ref.element(i)) && fracDistance(ref, i, gen, j) * ref.a() < 1e-6) match = j;
            }
            assertTrue(match >= 0, "reference atom " + (i + 1) + " (" + ref.element(i) + ") has no generated counterpart");
            used[match] = true;
        }
    }

    private static double fracDistance(CrystalCell a, int i, CrystalCell b, int j) {
        double s = 0;
        for (int d = 0; d < 3; d++) {
            double x = a.frac(i, d) - b.frac(j, d);
            x -= Math.rint(x);
            s += x * x;
        }
        return Math.sqrt(s);
    }

    @Test
    void liCellMatchingAndStrainFollowTheSmallestCommensurateRatio() {
        double aE = Argyrodite.A;
        for (int n = 1; n <= 7; n++) {
            assertEquals(3 * n, InterfaceBuilder.liCellsFor(n, aE, 3.51), "n=" + n);
        }
        for (int n = 1; n <= 40; n++) { // the chosen m minimises |n aE / (m aLi) - 1| over all m
            int m = InterfaceBuilder.liCellsFor(n, aE, 3.51);
            double best = Math.abs(n * aE / (m * 3.51) - 1);
            for (int k = 1; k <= 4 * n; k++) assertTrue(best <= Math.abs(n * aE / (k * 3.51) - 1) + 1e-12, "n=" + n + " k=" + k);
        }
        assertEquals(23, InterfaceBuilder.liCellsFor(8, aE, 3.51));
        assertEquals(29, InterfaceBuilder.liCellsFor(10, aE, 3.51));
        assertEquals(41, InterfaceBuilder.liCellsFor(14, aE, 3.51));
        InterfaceCell c = InterfaceBuilder.build(spec(2, 2, 5, 14, 2.5));
        // 3 Li cells on 1 LPSC cell: strain = 10.279498 / 10.53 - 1 = -2.379 %
        assertEquals(10.279498 / 10.53 - 1, c.geometry().metalStrainX(), 1e-12);
        assertEquals(-0.02379, c.geometry().metalStrainY(), 1e-5);
    }

    static InterfaceSpec spec(int nx, int ny, int ez, int mz, double gap) {
        return new InterfaceSpec(Argyrodite.conventional(), 3.51, nx, ny, Thickness.cells(ez), Thickness.cells(mz), gap,
                InterfaceSpec.DEFAULT_CUT);
    }

    @Test
    void demoCellHasTheExpectedCompositionAndLayout() {
        InterfaceCell c = InterfaceBuilder.build(spec(2, 2, 5, 14, 2.5));
        InterfaceGeometry g = c.geometry();
        // metal: 6x6 Li cells x 14 cells x 2 atoms; electrolyte: 2x2x5 cells x 52 atoms
        assertEquals(2 * 36 * 14, g.metalAtoms());
        assertEquals(20 * 52, g.electrolyteAtoms());
        int[] n = c.typeCounts();
        assertEquals(1008 + 20 * 24, n[1]);
        assertEquals(20 * 4, n[2]);
        assertEquals(20 * 20, n[3]);
        assertEquals(20 * 4, n[4]);
        assertEquals(2 * 10.279498, g.lx(), 1e-9);
        // 28 Li planes spaced a/2, the electrolyte spans 4 cells + (1.1155 - 0.25) of a cell, two gaps
        double span = 4 * 10.279498 + (1 + (Argyrodite.X_S16E - 0.5) - 0.25) * 10.279498;
        assertEquals(27 * 1.755 + span + 2 * 2.5, g.lz(), 1e-4);
        assertEquals(1.25, g.metalZlo(), 1e-12);
        assertEquals(g.metalZhi() + 2.5, g.electrolyteZlo(), 1e-9);
        // all atoms inside the box; metal atoms within its slab, electrolyte atoms within its slab
        double[] p = c.positions();
        for (int i = 0; i < c.size(); i++) {
            for (int d = 0; d < 3; d++) {
                double l = d == 0 ? g.lx() : d == 1 ? g.ly() : g.lz();
                assertTrue(p[3 * i + d] >= 0 && p[3 * i + d] < l, "atom " + i + " outside the box");
            }
            double z = p[3 * i + 2];
            if (i < g.metalAtoms()) assertTrue(z >= g.metalZlo() - 1e-9 && z <= g.metalZhi() + 1e-9);
            else assertTrue(z >= g.electrolyteZlo() - 1e-9 && z <= g.electrolyteZhi() + 1e-9);
        }
    }

    /** Brute-force minimum-image distances: bonds and contacts of the built cell. */
    @Test
    void distancesAcrossTheCellArePhysical() {
        InterfaceCell c = InterfaceBuilder.build(spec(2, 2, 3, 6, 2.5));
        InterfaceGeometry g = c.geometry();
        double[] p = c.positions();
        int[] t = c.types();
        double[] l = {g.lx(), g.ly(), g.lz()};
        int n = c.size();
        double minCross = Double.MAX_VALUE;
        double minMetal = Double.MAX_VALUE;
        int[] sAroundP = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double r2 = 0;
                for (int d = 0; d < 3; d++) {
                    double x = p[3 * j + d] - p[3 * i + d];
                    x -= l[d] * Math.rint(x / l[d]);
                    r2 += x * x;
                }
                double r = Math.sqrt(r2);
                boolean mi = i < g.metalAtoms();
                boolean mj = j < g.metalAtoms();
                if (mi && mj) minMetal = Math.min(minMetal, r);
                else if (mi != mj) minCross = Math.min(minCross, r);
                else if (r < 2.2 && ((t[i] == 2 && t[j] == 3) || (t[i] == 3 && t[j] == 2))) {
                    sAroundP[t[i] == 2 ? i : j]++;
                }
            }
        }
        // strained bcc nearest neighbour: sqrt((ax/2)^2 + (ay/2)^2 + (a/2)^2) with ax = ay = 10.279498/3
        double ax = 10.279498 / 3;
        assertEquals(Math.sqrt(2 * ax * ax / 4 + 3.51 * 3.51 / 4), minMetal, 1e-6);
        // no contact across an interface is shorter than the gap (planes are gap apart along z)
        assertTrue(minCross >= 2.5 - 1e-9, "closest metal-electrolyte pair " + minCross + " A");
        // every PS4 tetrahedron is intact: 4 S within 2.2 A of each P (P-S = 2.06 A)
        for (int i = 0; i < n; i++) if (t[i] == 2) assertEquals(4, sAroundP[i], "P atom " + (i + 1));
    }

    @Test
    void thicknessInAngstromRoundsToWholeCells() {
        InterfaceCell c = InterfaceBuilder.build(new InterfaceSpec(Argyrodite.conventional(), 3.51, 2, 2,
                Thickness.parse("50A", "--electrolyte"), Thickness.parse("20 A", "--metal"), 2.5, InterfaceSpec.DEFAULT_CUT));
        assertEquals(5, c.geometry().electrolyteCells()); // 50 / 10.28 = 4.86
        assertEquals(6, c.geometry().metalCells());       // 20 / 3.51 = 5.70
    }

    @Test
    void targetAtomCountIsMetWithinAFewPercent() {
        CrystalCell e = Argyrodite.conventional();
        for (long target : new long[] {2000, 20_000, 100_000, 1_000_000}) {
            InterfaceBuilder.Plan plan = InterfaceBuilder.planForAtoms(target, 0, 0, 14.0, 3.0, e, 3.51);
            InterfaceCell c = InterfaceBuilder.build(spec(plan.nx(), plan.ny(), plan.electrolyteCells(), plan.metalCells(), 2.5));
            double rel = Math.abs(c.size() - target) / (double) target;
            assertTrue(rel < (target < 10_000 ? 0.10 : 0.05), target + " -> " + c.size() + " atoms " + plan);
            assertTrue(c.geometry().minLateral() >= 14.0);
        }
    }

    @Test
    void tooSmallLateralBoxIsANoteWithTheNumbers() {
        InterfaceCell c = InterfaceBuilder.build(spec(1, 1, 2, 4, 2.5));
        String note = InterfaceBuilder.cutoffNote(c.geometry(), 5.0, 2.0, "--cutoff");
        assertTrue(note.contains("2*r_max + skin = 2*5.00 + 2.00 = 12.00 A"), note);
        assertTrue(note.contains("pair_style onnx handles exactly"), note);
        assertTrue(note.contains("--nx/--ny >= 2"), note);
        assertNull(InterfaceBuilder.cutoffNote(InterfaceBuilder.build(spec(2, 2, 2, 4, 2.5)).geometry(), 5.0, 2.0, "--cutoff"));
    }

    @Test
    void atomCountMatchesTheBuiltCell() {
        for (int[] n : new int[][] {{1, 1, 1, 1}, {2, 3, 2, 4}, {3, 2, 5, 14}}) {
            InterfaceSpec s = spec(n[0], n[1], n[2], n[3], 2.5);
            assertEquals(InterfaceBuilder.build(s).size(), InterfaceBuilder.atomCount(s));
        }
    }

    @Test
    void onnxMetadataIsReadWithoutOnnxRuntime() throws Exception {
        Path model = Path.of(getClass().getResource("metadata-only.onnx").toURI());
        Map<String, String> m = ModelMetadata.read(model);
        assertEquals("5.5", m.get("interphase.r_max"));
        assertEquals("Li P S Cl", m.get("interphase.species"));
        assertEquals(5.5, ModelMetadata.rMax(model));
    }
}
