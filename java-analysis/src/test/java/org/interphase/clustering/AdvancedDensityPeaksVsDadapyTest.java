package org.interphase.clustering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.interphase.testutil.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Advanced density peaks against DADApy 0.3.4's {@code compute_clustering_ADP} after {@code compute_density_kNN}
 * (fixtures from src/test/python/make_dpc_fixtures.py, which also checks DADApy's Cython and pure-Python versions
 * agree): log density to 1e-12, the surviving peaks and every point's cluster identical. The cases cover merging
 * (Z = 1.65 leaves 3 of the putative peaks of the 2-d blobs) and little merging (Z = 0.5 leaves 5).
 */
class AdvancedDensityPeaksVsDadapyTest {

    @ParameterizedTest
    @ValueSource(strings = {"adp_blobs2d.txt", "adp_blobs2d_z05.txt", "adp_blobs6d.txt"})
    void samePeaksAndClustersAsDadapy(String name) throws IOException {
        List<String> l = Fixtures.lines("/fixtures/dpc/" + name);
        int at = 0;
        while (l.get(at).startsWith("#")) at++;
        String[] h = l.get(at++).trim().split("\\s+");
        int n = Integer.parseInt(h[0]), d = Integer.parseInt(h[1]), k = Integer.parseInt(h[2]);
        double z = Double.parseDouble(h[3]);
        int[] centres = Arrays.stream(l.get(at++).trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
        double[][] x = new double[n][d];
        double[] logDen = new double[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            String[] t = l.get(at++).trim().split("\\s+");
            for (int j = 0; j < d; j++) x[i][j] = Double.parseDouble(t[j]);
            logDen[i] = Double.parseDouble(t[d]);
            labels[i] = Integer.parseInt(t[d + 1]);
        }
        AdvancedDensityPeaks adp = AdvancedDensityPeaks.fit(x, new AdvancedDensityPeaks.Parameters(k, d, z));
        for (int i = 0; i < n; i++) assertEquals(logDen[i], adp.logDensity()[i], 1e-12 * Math.max(1, Math.abs(logDen[i])), "log density " + i);
        assertArrayEquals(centres, adp.centres(), "surviving peaks");
        assertArrayEquals(labels, adp.labels(), "cluster assignment");
        assertTrue(adp.putative() >= adp.k());
        System.out.println(name + ": " + adp.k() + " clusters of " + adp.putative() + " putative peaks, identical to DADApy");
    }

    @Test
    void badParametersAreOneLineCauseAndFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AdvancedDensityPeaks.Parameters(0, 0, 1.65));
        assertTrue(e.getMessage().contains("--adp K") && e.getMessage().contains("e.g."), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AdvancedDensityPeaks.Parameters(10, 0, -1));
        assertTrue(e.getMessage().contains("--adp Z"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AdvancedDensityPeaks.Parameters(10, -2, 1.65));
        assertTrue(e.getMessage().contains("--adp ID"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AdvancedDensityPeaks.fit(new double[5][2], new AdvancedDensityPeaks.Parameters(10, 0, 1.65)));
        assertTrue(e.getMessage().contains("lower K"), e.getMessage());
        double[][] same = new double[30][2];
        e = assertThrows(IllegalArgumentException.class, () -> AdvancedDensityPeaks.fit(same, new AdvancedDensityPeaks.Parameters(5, 0, 1.65)));
        assertTrue(e.getMessage().contains("identical environments"), e.getMessage());
    }
}
