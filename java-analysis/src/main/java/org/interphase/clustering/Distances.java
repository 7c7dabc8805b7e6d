package org.interphase.clustering;

/** Small vector helpers shared by the clustering methods. */
final class Distances {
    private Distances() {
    }

    static double sq(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            double d = a[k] - b[k];
            s += d * d;
        }
        return s;
    }

    /** Index of the centroid nearest to x (the first of equals; 0 when there are none). */
    static int nearest(double[] x, double[][] centroids) {
        int best = 0;
        double bd = Double.MAX_VALUE;
        for (int c = 0; c < centroids.length; c++) {
            double d = sq(x, centroids[c]);
            if (d < bd) {
                bd = d;
                best = c;
            }
        }
        return best;
    }

    /** Mean of the rows of each label 0..k-1 (rows labelled -1 are left out; a label without rows gets 0). */
    static double[][] centroids(double[][] z, int[] lab, int k) {
        int d = z[0].length;
        double[][] c = new double[k][d];
        int[] cnt = new int[k];
        for (int i = 0; i < z.length; i++) {
            if (lab[i] < 0) continue;
            cnt[lab[i]]++;
            for (int j = 0; j < d; j++) c[lab[i]][j] += z[i][j];
        }
        for (int q = 0; q < k; q++) for (int j = 0; j < d; j++) c[q][j] /= Math.max(1, cnt[q]);
        return c;
    }
}
