package org.interphase.clustering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.interphase.testutil.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Density-peak clustering against DADApy 0.3.4 (fixtures from src/test/python/make_dpc_fixtures.py): the k-NN log
 * density to 1e-12 (a sum of logs of O(1) numbers), delta to 1e-12 A-units (a Euclidean distance of O(1)
 * coordinates), and the cluster assignment identical, label by label.
 */
class DensityPeaksVsDadapyTest {

    @ParameterizedTest
    @ValueSource(strings = {"blobs2d.txt", "blobs6d.txt"})
    void sameDensityDeltaAndClustersAsDadapy(String name) throws IOException {
        List<String> l = Fixtures.lines("/fixtures/dpc/" + name);
        int at = 0;
        while (l.get(at).startsWith("#")) at++;
        String[] h = l.get(at++).trim().split("\\s+");
        int n = Integer.parseInt(h[0]), d = Integer.parseInt(h[1]), k = Integer.parseInt(h[2]);
        double densCut = Double.parseDouble(h[3]), deltaCut = Double.parseDouble(h[4]);
        double[][] x = new double[n][d];
        double[] logDen = new double[n], delta = new double[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            String[] t = l.get(at++).trim().split("\\s+");
            for (int j = 0; j < d; j++) x[i][j] = Double.parseDouble(t[j]);
            logDen[i] = Double.parseDouble(t[d]);
            delta[i] = Double.parseDouble(t[d + 1]);
            labels[i] = Integer.parseInt(t[d + 2]);
        }
        DensityPeaks dp = DensityPeaks.fit(x, new DensityPeaks.Parameters(k, d, densCut, deltaCut));
        for (int i = 0; i < n; i++) {
            assertEquals(logDen[i], dp.logDensity()[i], 1e-12 * Math.max(1, Math.abs(logDen[i])), "log density " + i);
            assertEquals(delta[i], dp.delta()[i], 1e-12, "delta " + i);
        }
        assertArrayEquals(labels, dp.labels());
        System.out.println(name + ": " + dp.k() + " clusters, identical to DADApy");
    }

    @Test
    void identicalEnvironmentsChainOntoTheFirstOfThem() {
        // two groups of 12 identical points, 5 apart (a perfect crystal's environments): r_k = 0, density +inf for all;
        // ties go to the lower index, so each group is one cluster whose centre is its first point
        double[][] x = new double[24][];
        for (int i = 0; i < 24; i++) x[i] = i < 12 ? new double[] {0, 0} : new double[] {5, 0};
        DensityPeaks dp = DensityPeaks.fit(x, new DensityPeaks.Parameters(3, 2, Double.NEGATIVE_INFINITY, 2.0));
        assertEquals(2, dp.k());
        assertArrayEquals(new int[] {0, 12}, dp.centres());
        for (int i = 0; i < 24; i++) assertEquals(i < 12 ? 0 : 1, dp.labels()[i], "label " + i);
        assertEquals(5.0, dp.delta()[12], 0.0);
        assertEquals(0.0, dp.delta()[5], 0.0);
    }

    @Test
    void badParametersAreOneLineCauseAndFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DensityPeaks.Parameters(0, 0, 0, 2));
        assertEquals("--dpc K must be >= 1, got 0: e.g. --dpc 10:2.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DensityPeaks.Parameters(10, 0, 0, -1));
        assertEquals("--dpc DELTA_CUT must be a positive distance, got -1.0: e.g. --dpc 10:2.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DensityPeaks.fit(new double[5][2], new DensityPeaks.Parameters(10, 0, 0, 2)));
        assertEquals("density peaks with --dpc K=10 needs more than 10 atoms per clustered group, got 5: lower K or analyse more atoms", e.getMessage());
    }
}
