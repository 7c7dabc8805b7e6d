package org.interphase.neighbors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.interphase.io.Box;
import org.junit.jupiter.api.Test;

/** CellList against an O(N^2 * images) brute force over explicit periodic images. */
class CellListTest {

    /** Brute force: all images n in {-2..2}^3 (periodic directions only), keep those within the cutoff. */
    private static TreeMap<Integer, double[]> brute(Box box, double[] pos, int i, double rc) {
        TreeMap<Integer, double[]> out = new TreeMap<>();
        int n = pos.length / 3;
        for (int j = 0; j < n; j++) {
            for (int a = -2; a <= 2; a++) {
                for (int b = -2; b <= 2; b++) {
                    for (int c = -2; c <= 2; c++) {
                        if ((a != 0 && !box.isPeriodic(0)) || (b != 0 && !box.isPeriodic(1)) || (c != 0 && !box.isPeriodic(2))) continue;
                        if (j == i && a == 0 && b == 0 && c == 0) continue;
                        double[] d = new double[3];
                        for (int k = 0; k < 3; k++) {
                            d[k] = pos[3 * j + k] - pos[3 * i + k] + a * box.h(0, k) + b * box.h(1, k) + c * box.h(2, k);
                        }
                        double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                        if (r2 < rc * rc) {
                            assertTrue(out.put(j, d) == null, "two images of one pair inside the cutoff");
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void check(Box box, double[] pos, double rc) {
        CellList cl = new CellList(box, pos, rc);
        int n = pos.length / 3;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            TreeMap<Integer, double[]> ref = brute(box, pos, i, rc);
            List<double[]> got = new ArrayList<>();
            TreeMap<Integer, double[]> gotMap = new TreeMap<>();
            cl.forEachNeighbor(i, (j, dx, dy, dz, r2) -> {
                assertTrue(gotMap.put(j, new double[] {dx, dy, dz, r2}) == null, "neighbour visited twice");
                got.add(null);
            });
            assertEquals(ref.keySet(), gotMap.keySet(), "neighbour set of atom " + i);
            for (var e : ref.entrySet()) {
                double[] g = gotMap.get(e.getKey());
                double[] r = e.getValue();
                for (int k = 0; k < 3; k++) assertEquals(r[k], g[k], 1e-9);
                assertEquals(r[0] * r[0] + r[1] * r[1] + r[2] * r[2], g[3], 1e-9);
            }
            pairs += ref.size();
        }
        assertTrue(pairs > 0, "test box has no pairs");
    }

    @Test
    void randomTriclinicBoxesMatchBruteForce() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 25; trial++) {
            double lx = 8 + 6 * rnd.nextDouble(), ly = 8 + 6 * rnd.nextDouble(), lz = 8 + 6 * rnd.nextDouble();
            double xy = (rnd.nextDouble() - 0.5) * lx, xz = (rnd.nextDouble() - 0.5) * lx, yz = (rnd.nextDouble() - 0.5) * ly;
            boolean[] per = {rnd.nextBoolean() || trial < 10, rnd.nextBoolean() || trial < 10, rnd.nextBoolean() || trial < 10};
            Box box = Box.lammps(lx, ly, lz, xy, xz, yz, per);
            int n = 60 + rnd.nextInt(80);
            double[] pos = new double[3 * n];
            for (int i = 0; i < n; i++) {
                // fractional in [-0.2, 1.2) so unwrapped atoms are tested too
                double s0 = rnd.nextDouble() * 1.4 - 0.2, s1 = rnd.nextDouble() * 1.4 - 0.2, s2 = rnd.nextDouble() * 1.4 - 0.2;
                box.toCartesian(s0, s1, s2, pos, 3 * i);
            }
            double[] w = box.perpendicularWidths();
            double wmin = Double.MAX_VALUE;
            for (int d = 0; d < 3; d++) if (per[d]) wmin = Math.min(wmin, w[d]);
            double rc = Math.min(0.5 * wmin, 2.0 + 4 * rnd.nextDouble());
            check(box, pos, rc);
        }
    }

    @Test
    void generalNonLammpsCellAndSmallBinCounts() {
        Random rnd = new Random(7);
        Box box = Box.periodic(new double[] {7.0, 0.5, -0.3, 1.2, 6.5, 0.4, -0.8, 1.1, 7.3});
        int n = 50;
        double[] pos = new double[3 * n];
        for (int i = 0; i < n; i++) box.toCartesian(rnd.nextDouble(), rnd.nextDouble(), rnd.nextDouble(), pos, 3 * i);
        double[] w = box.perpendicularWidths();
        check(box, pos, 0.5 * Math.min(w[0], Math.min(w[1], w[2])) - 1e-9); // 1-2 bins per direction
        check(box, pos, 1.5);
    }

    @Test
    void cutoffLargerThanHalfBoxIsRejected() {
        Box box = Box.orthogonal(10, 10, 4, true, true, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CellList(box, new double[] {0, 0, 0, 1, 1, 1}, 2.5));
        assertTrue(e.getMessage().contains("r_cut") && e.getMessage().contains("larger than half the box width"), e.getMessage());
        // non-periodic direction: no limit
        Box open = Box.orthogonal(10, 10, 4, true, true, false);
        new CellList(open, new double[] {0, 0, 0, 1, 1, 1}, 2.5);
    }
}
