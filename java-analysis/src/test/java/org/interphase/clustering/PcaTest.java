package org.interphase.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.interphase.testutil.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * PCA against numpy's LAPACK SVD of the centred sample (fixtures from src/test/python/make_pca_fixtures.py), on
 * both the exact (Jacobi on Gram or covariance matrix) and the iterative (subspace iteration) path, with constant
 * and duplicated columns and fewer samples than features; plus the degenerate inputs that used to crash.
 */
class PcaTest {
    record Case(double[][] x, double[] var, double[][] comp) {
    }

    static Case load(String name) throws IOException {
        List<String> l = Fixtures.lines("/fixtures/pca/" + name);
        int at = 0;
        while (l.get(at).startsWith("#")) at++;
        String[] h = l.get(at++).trim().split("\\s+");
        int n = Integer.parseInt(h[0]), d = Integer.parseInt(h[1]), k = Integer.parseInt(h[2]);
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) x[i] = parse(l.get(at++));
        double[] var = parse(l.get(at++));
        double[][] comp = new double[k][];
        for (int c = 0; c < k; c++) comp[c] = parse(l.get(at++));
        assertEquals(d, comp[0].length);
        return new Case(x, var, comp);
    }

    static double[] parse(String s) {
        String[] t = s.trim().split("\\s+");
        double[] v = new double[t.length];
        for (int i = 0; i < t.length; i++) v[i] = Double.parseDouble(t[i]);
        return v;
    }

    /**
     * Variances to 1e-9 of the largest (both paths converge to machine precision in the variances; the iterative one
     * stops at a 1e-10 relative change); components up to sign to 1e-6, the accuracy a vector with eigenvalue gap
     * g/lambda_1 >= 0.2 (these spectra decay by 0.8 per component) has when its eigenvalue is converged to 1e-10.
     */
    static void check(Case c, int exactLimit) {
        int k = c.var().length;
        Pca p = Pca.fit(c.x(), k, exactLimit, 7);
        double[] var = p.explainedVariance();
        double[][] comp = p.components();
        for (int q = 0; q < k; q++) {
            assertEquals(c.var()[q], var[q], 1e-9 * c.var()[0], "variance " + q);
            double dot = 0;
            for (int j = 0; j < comp[q].length; j++) dot += comp[q][j] * c.comp()[q][j];
            assertEquals(1.0, Math.abs(dot), 1e-6, "component " + q + " |v . v_numpy|");
        }
    }

    @Test
    void fewerSamplesThanFeaturesMatchesNumpySvd() throws IOException {
        Case c = load("wide.txt");
        check(c, Pca.EXACT_LIMIT); // Gram matrix
        check(c, 5);               // subspace iteration
    }

    @Test
    void moreSamplesThanFeaturesMatchesNumpySvd() throws IOException {
        Case c = load("tall.txt");
        check(c, Pca.EXACT_LIMIT); // covariance matrix
        check(c, 5);               // subspace iteration
    }

    @Test
    void constantRankDeficientAndDegenerateSamplesDoNotCrash() {
        // all columns constant: components orthonormal, variance 0
        double[][] flat = new double[30][50];
        for (double[] r : flat) java.util.Arrays.fill(r, 2.0);
        Pca p = Pca.fit(flat, 20);
        assertEquals(0.0, p.explainedVariance()[0]);
        // rank 1 in 400 x 400 (iterative path): one component with variance, the others 0 and orthonormal
        double[][] r1 = new double[400][400];
        for (int i = 0; i < 400; i++) for (int j = 0; j < 400; j++) r1[i][j] = (i % 7) * Math.cos(j);
        Pca q = Pca.fit(r1, 20);
        double[][] v = q.components();
        for (int a = 0; a < v.length; a++) for (int b = 0; b < v.length; b++) {
            double dot = 0;
            for (int j = 0; j < 400; j++) dot += v[a][j] * v[b][j];
            assertEquals(a == b ? 1.0 : 0.0, dot, 1e-9, "orthonormal " + a + "," + b);
        }
        assertTrue(q.explainedVarianceRatio()[0] > 1 - 1e-9);
        assertEquals(0.0, q.explainedVariance()[1], 1e-9 * q.explainedVariance()[0]);
        // more components than samples
        assertEquals(5, Pca.fit(new double[][] {{1, 2, 3, 4, 5}, {2, 1, 0, 4, 5}}, 5).components().length);
    }

    @Test
    void badSamplesGiveOneLineCauseAndFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(new double[][] {{1, Double.NaN}, {0, 1}}, 1));
        assertEquals("descriptor feature 1 of sample 0 is NaN: check the input coordinates for NaN/overlapping atoms", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(new double[][] {{1, 2}}, 1));
        assertTrue(e.getMessage().contains(": analyse more atoms or frames"), e.getMessage());
    }

    @Test
    void jacobiDiagonalisesWithRepeatedEigenvalues() {
        double[][] a = {{2, 1, 0, 0}, {1, 2, 0, 0}, {0, 0, 3, 0}, {0, 0, 0, 3}};
        JacobiEigen e = JacobiEigen.of(a);
        assertEquals(3.0, e.values()[0], 1e-14);
        assertEquals(3.0, e.values()[1], 1e-14);
        assertEquals(3.0, e.values()[2], 1e-14);
        assertEquals(1.0, e.values()[3], 1e-14);
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < 4; i++) {
                double av = 0;
                for (int j = 0; j < 4; j++) av += a[i][j] * e.vectors()[c][j];
                assertEquals(e.values()[c] * e.vectors()[c][i], av, 1e-13);
            }
        }
    }
}
