package org.interphase.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Three well separated groups of descriptor vectors: the most uncertain member of each is chosen. */
class ClusterSelectionTest {
    @Test
    void oneFromEachGroupTheMostUncertain() {
        Random r = new Random(5);
        int n = 30;
        double[][] x = new double[n][];
        double[] maxF = new double[n];
        double[][] centres = {{0, 0, 0, 0}, {10, 0, 5, 0}, {0, 10, 0, -5}};
        for (int i = 0; i < n; i++) {
            double[] c = centres[i % 3];
            x[i] = new double[4];
            for (int k = 0; k < 4; k++) x[i][k] = c[k] + 0.3 * r.nextGaussian();
            maxF[i] = 0.05 + 0.1 * r.nextDouble();
        }
        ClusterSelection.Result res = ClusterSelection.choose(x, maxF, 3, 12345);
        int[] expect = new int[3];
        for (int g = 0; g < 3; g++) {
            int best = -1;
            for (int i = g; i < n; i += 3) if (best < 0 || maxF[i] > maxF[best]) best = i;
            expect[g] = best;
        }
        java.util.Arrays.sort(expect);
        assertArrayEquals(expect, res.selected());
        for (int i = 0; i < n; i++) assertEquals(res.cluster()[i % 3], res.cluster()[i], "members of one group share a cluster");
        assertArrayEquals(new int[] {0, 1, 2}, new int[] {res.cluster()[0], res.cluster()[1], res.cluster()[2]}, "numbered by first member");
        assertArrayEquals(new int[] {10, 10, 10}, res.size());
        assertArrayEquals(res.selected(), ClusterSelection.choose(x, maxF, 3, 12345).selected(), "deterministic");
    }

    @Test
    void identicalDescriptorsFillWithTheMostUncertain() {
        double[][] x = new double[6][];
        for (int i = 0; i < 6; i++) x[i] = new double[] {1, 2, 3};
        double[] maxF = {0.06, 0.1, 0.07, 0.12, 0.09, 0.08};
        ClusterSelection.Result res = ClusterSelection.choose(x, maxF, 3, 1);
        assertArrayEquals(new int[] {1, 3, 4}, res.selected());
        assertNotEquals(0, res.size().length);
    }
}
