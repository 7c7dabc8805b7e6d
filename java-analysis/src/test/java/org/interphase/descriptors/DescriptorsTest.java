package org.interphase.descriptors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.interphase.analysis.AnalysisPipeline;
import org.interphase.io.Box;
import org.interphase.io.ExtXyzReader;
import org.interphase.io.Frame;
import org.interphase.neighbors.CellList;
import org.interphase.testutil.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Descriptors against closed forms and against an independent numpy/scipy/ASE implementation (committed fixture). */
class DescriptorsTest {

    /** Perfect cubic crystal: basis in fractional units of a, repeated n times. */
    private static Frame crystal(double a, double[][] basis, int n) {
        Box box = Box.orthogonal(n * a, n * a, n * a, true, true, true);
        List<double[]> pos = new ArrayList<>();
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) {
            for (double[] b : basis) pos.add(new double[] {(i + b[0]) * a, (j + b[1]) * a, (k + b[2]) * a});
        }
        double[] x = new double[3 * pos.size()];
        for (int i = 0; i < pos.size(); i++) System.arraycopy(pos.get(i), 0, x, 3 * i, 3);
        int[] t = new int[pos.size()];
        String[] e = new String[pos.size()];
        java.util.Arrays.fill(t, 1);
        java.util.Arrays.fill(e, "Li");
        return new Frame(0, 0, box, x, t, e);
    }

    private static double[] q46(Frame f, double rc, int atom) {
        Steinhardt s = new Steinhardt(new int[] {4, 6}, rc);
        double[] out = new double[2];
        s.compute(f, new CellList(f.box(), f.positions(), rc), atom, out, 0);
        return out;
    }

    @Test
    void steinhardtClosedFormsFccAndBcc() {
        // Closed-form values for perfect lattices (Steinhardt, Nelson, Ronchetti, PRB 28, 784 (1983); tabulated e.g.
        // in Mickel et al., J. Chem. Phys. 138, 044501 (2013)): fcc, 12 nearest neighbours: q4 = 0.19094,
        // q6 = 0.57452; bcc, first coordination shell of 14 (8 at a*sqrt(3)/2 plus 6 at a): q4 = 0.03637, q6 = 0.51069.
        Frame fcc = crystal(4.0, new double[][] {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}}, 3);
        double[] q = q46(fcc, 3.2, 5); // nn = 2.83, second shell 4.0
        assertEquals(0.19094, q[0], 5e-5);
        assertEquals(0.57452, q[1], 5e-5);
        Frame bcc = crystal(3.51, new double[][] {{0, 0, 0}, {.5, .5, .5}}, 4);
        q = q46(bcc, 3.7, 7); // 8 at 3.04 and 6 at 3.51; third shell at 4.96
        assertEquals(0.03637, q[0], 5e-5);
        assertEquals(0.51069, q[1], 5e-5);
        // 8 cube-vertex neighbours only: q_l^2 = (1/N^2) sum_jk P_l(cos g_jk) with cos g in {1, -1, +-1/3 (3 each)}
        // gives q4^2 = (2 + 6 P4(1/3))/8 = 21/81, i.e. q4 = sqrt(21)/9.
        q = q46(bcc, 3.2, 7);
        assertEquals(Math.sqrt(21) / 9, q[0], 1e-12);
        double p6 = (231 * Math.pow(1 / 3.0, 6) - 315 * Math.pow(1 / 3.0, 4) + 105 * Math.pow(1 / 3.0, 2) - 5) / 16;
        assertEquals(Math.sqrt((2 + 6 * p6) / 8), q[1], 1e-12);
    }

    @Test
    void coordinationNumbersHardAndSmooth() {
        Frame bcc = crystal(3.51, new double[][] {{0, 0, 0}, {.5, .5, .5}}, 4);
        double[] out = new double[1];
        new CoordinationNumbers(List.of("Li"), 3.2, 3.2).compute(bcc, new CellList(bcc.box(), bcc.positions(), 3.2), 0, out, 0);
        assertEquals(8.0, out[0], 1e-12);
        // smooth: second shell at a = 3.51 with r_on 3.2, r_cut 3.7 -> 6 * (1 + cos(pi*0.31/0.5))/2
        new CoordinationNumbers(List.of("Li"), 3.2, 3.7).compute(bcc, new CellList(bcc.box(), bcc.positions(), 3.7), 3, out, 0);
        assertEquals(8.0 + 6 * 0.5 * (1 + Math.cos(Math.PI * (3.51 - 3.2) / 0.5)), out[0], 1e-12);
    }

    @Test
    void matchesIndependentPythonDescriptors(@TempDir Path tmp) throws IOException {
        Path xyz = Fixtures.copy("/fixtures/clustering/structures.extxyz", tmp);
        double[][] ref = Fixtures.csv("/fixtures/clustering/features.csv");
        FeatureComputer fc = Descriptors.open(DescriptorOptions.cheap(3.2, 3.7, 3.2, 3.7), AnalysisPipeline.BASE_ELEMENTS, ForkJoinPool.commonPool());
        assertEquals(List.of("is_Li", "is_P", "is_S", "is_Cl", "cn_Li", "cn_P", "cn_S", "cn_Cl", "q4", "q6"), fc.featureNames());
        int row = 0;
        double maxErr = 0;
        try (ExtXyzReader r = new ExtXyzReader(xyz, null)) {
            Frame f;
            while ((f = r.next()) != null) {
                double[] x = fc.compute(f);
                for (int i = 0; i < f.size(); i++, row++) {
                    for (int k = 0; k < fc.dimension(); k++) {
                        maxErr = Math.max(maxErr, Math.abs(x[i * fc.dimension() + k] - ref[row][k]));
                        assertEquals(ref[row][k], x[i * fc.dimension() + k], 1e-6, "atom " + row + " feature " + fc.featureNames().get(k));
                    }
                }
            }
        }
        assertEquals(ref.length, row, "atom count");
        System.out.println("descriptors vs numpy/scipy/ASE: " + row + " atoms, max |diff| = " + maxErr);
    }
}
