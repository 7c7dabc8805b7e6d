package org.interphase.clustering;

import java.util.Random;

/** Deterministic random subsamples of sample rows. */
public final class Samples {
    private Samples() {
    }

    /** Deterministic random subsample of at most m rows (all rows, the same array, when n &lt;= m). */
    public static double[][] subsample(double[][] z, int m, long seed) {
        if (z.length <= m) return z;
        Random r = new Random(seed ^ 0x5DEECE66DL);
        int[] idx = new int[z.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        for (int i = 0; i < m; i++) {
            int j = i + r.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        double[][] out = new double[m][];
        for (int i = 0; i < m; i++) out[i] = z[idx[i]];
        return out;
    }
}
