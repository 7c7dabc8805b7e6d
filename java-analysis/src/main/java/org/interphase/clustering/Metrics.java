package org.interphase.clustering;

import java.util.HashMap;
import java.util.Map;

/** Clustering quality measures. */
public final class Metrics {
    private Metrics() {
    }

    /** Adjusted Rand index (Hubert and Arabie 1985) between two labelings. */
    public static double adjustedRand(int[] a, int[] b) {
        int n = a.length;
        Map<Long, Integer> cont = new HashMap<>();
        Map<Integer, Integer> ra = new HashMap<>(), rb = new HashMap<>();
        for (int i = 0; i < n; i++) {
            cont.merge(((long) a[i] << 32) ^ (b[i] & 0xffffffffL), 1, Integer::sum);
            ra.merge(a[i], 1, Integer::sum);
            rb.merge(b[i], 1, Integer::sum);
        }
        double sumC = 0, sumA = 0, sumB = 0;
        for (int v : cont.values()) sumC += comb2(v);
        for (int v : ra.values()) sumA += comb2(v);
        for (int v : rb.values()) sumB += comb2(v);
        double expected = sumA * sumB / comb2(n);
        double max = 0.5 * (sumA + sumB);
        if (max == expected) return 1.0;
        return (sumC - expected) / (max - expected);
    }

    private static double comb2(long v) {
        return v * (v - 1) / 2.0;
    }

    /** Mean silhouette coefficient (Euclidean); points in singleton clusters score 0. */
    public static double silhouette(double[][] x, int[] labels, int k) {
        int n = x.length;
        int[] cnt = new int[k];
        for (int l : labels) cnt[l]++;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double[] sum = new double[k];
            for (int j = 0; j < n; j++) if (j != i) sum[labels[j]] += Math.sqrt(Distances.sq(x[i], x[j]));
            int own = labels[i];
            if (cnt[own] <= 1) continue;
            double a = sum[own] / (cnt[own] - 1);
            double b = Double.MAX_VALUE;
            for (int c = 0; c < k; c++) if (c != own && cnt[c] > 0) b = Math.min(b, sum[c] / cnt[c]);
            if (b == Double.MAX_VALUE) continue;
            total += (b - a) / Math.max(a, b);
        }
        return total / n;
    }
}
