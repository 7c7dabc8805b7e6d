package org.interphase.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.interphase.testutil.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Java k-means, Gaussian mixture and HDBSCAN against scikit-learn on the same descriptors (fixtures from
 * src/test/python/make_cluster_fixtures.py): adjusted Rand index >= 0.99 at the same k.
 */
class ClusteringVsSklearnTest {
    static double[][] z;
    static int[] km, gm, hd;

    @BeforeAll
    static void load() throws IOException {
        double[][] x = Fixtures.csv("/fixtures/clustering/features.csv");
        z = Standardizer.fit(x).apply(x);
        List<String> lines = Fixtures.lines("/fixtures/clustering/labels.csv");
        int n = lines.size() - 1;
        km = new int[n];
        gm = new int[n];
        hd = new int[n];
        for (int i = 0; i < n; i++) {
            String[] t = lines.get(i + 1).split(",");
            km[i] = Integer.parseInt(t[1]);
            gm[i] = Integer.parseInt(t[2]);
            hd[i] = Integer.parseInt(t[3]);
        }
        assertEquals(x.length, n);
    }

    private static int k(int[] l) {
        return (int) Arrays.stream(l).filter(v -> v >= 0).distinct().count();
    }

    @Test
    void kmeansMatchesSklearn() {
        KMeans.Model m = KMeans.fit(z, k(km), 1, 4, 300);
        double ari = Metrics.adjustedRand(m.labels(), km);
        System.out.println("k-means ARI vs sklearn = " + ari);
        assertTrue(ari >= 0.99, "ARI " + ari);
    }

    @Test
    void gaussianMixtureMatchesSklearn() {
        GaussianMixture.Model g = GaussianMixture.fit(z, k(gm), 1, 200, 1e-3, 1e-6);
        int[] lab = new int[z.length];
        for (int i = 0; i < z.length; i++) lab[i] = g.predict(z[i]);
        double ari = Metrics.adjustedRand(lab, gm);
        System.out.println("GMM ARI vs sklearn = " + ari + ", converged " + g.converged());
        assertTrue(ari >= 0.99, "ARI " + ari);
    }

    @Test
    void hdbscanMatchesSklearn() {
        int[] lab = Hdbscan.fit(z, 25, 25);
        assertEquals(k(hd), k(lab), "number of clusters");
        double ari = Metrics.adjustedRand(lab, hd);
        System.out.println("HDBSCAN ARI vs sklearn = " + ari);
        assertTrue(ari >= 0.99, "ARI " + ari);
    }

    @Test
    void adjustedRandClosedForm() {
        // identical up to renaming -> 1; the classic example of Hubert & Arabie-style hand computation:
        assertEquals(1.0, Metrics.adjustedRand(new int[] {0, 0, 1, 1}, new int[] {5, 5, 3, 3}), 1e-12);
        // a = [0,0,0,1,1,1], b = [0,0,1,1,2,2]: sum C(nij,2) = 2, sum C(a,2) = 6, sum C(b,2) = 3, C(6,2) = 15
        // ARI = (2 - 6*3/15) / (0.5*(6+3) - 6*3/15) = 0.8/3.3
        assertEquals(0.8 / 3.3, Metrics.adjustedRand(new int[] {0, 0, 0, 1, 1, 1}, new int[] {0, 0, 1, 1, 2, 2}), 1e-12);
    }

    @Test
    void pcaRecoversDominantDirection() {
        // points along (1,2,2)/3 with small noise: first component = that direction, ratio ~1
        java.util.Random r = new java.util.Random(3);
        double[][] x = new double[500][3];
        for (double[] row : x) {
            double t = r.nextGaussian() * 5;
            row[0] = t / 3 + 0.01 * r.nextGaussian();
            row[1] = 2 * t / 3 + 0.01 * r.nextGaussian();
            row[2] = 2 * t / 3 + 0.01 * r.nextGaussian();
        }
        Pca p = Pca.fit(x, 2);
        double[] c = p.components()[0];
        assertEquals(1.0 / 3, Math.abs(c[0]), 1e-3);
        assertEquals(2.0 / 3, Math.abs(c[1]), 1e-3);
        assertTrue(p.explainedVarianceRatio()[0] > 0.999);
    }
}
