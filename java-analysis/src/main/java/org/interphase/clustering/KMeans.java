package org.interphase.clustering;

import java.util.Random;

/**
 * k-means (Lloyd iterations) with greedy k-means++ seeding (Arthur and Vassilvitskii 2007; 2 + ln k candidates
 * per step as in scikit-learn), best inertia of nInit deterministic restarts from a seed.
 */
public final class KMeans {
    /** A fitted model. */
    public record Model(double[][] centroids, int[] labels, double inertia) {
        /** Index of the nearest centroid. */
        public int predict(double[] x) {
            return Distances.nearest(x, centroids);
        }
    }

    private KMeans() {
    }

    /** Fits k clusters. */
    public static Model fit(double[][] x, int k, long seed, int nInit, int maxIter) {
        if (k < 1 || k > x.length) throw new IllegalArgumentException("k=" + k + " must be between 1 and the number of points " + x.length);
        Random rnd = new Random(seed);
        Model best = null;
        for (int run = 0; run < Math.max(1, nInit); run++) {
            Model m = lloyd(x, seedPlusPlus(x, k, rnd), maxIter);
            if (best == null || m.inertia() < best.inertia() - 1e-12) best = m;
        }
        return best;
    }

    static double[][] seedPlusPlus(double[][] x, int k, Random rnd) {
        int n = x.length;
        int trials = 2 + (int) Math.log(k);
        double[][] c = new double[k][];
        c[0] = x[rnd.nextInt(n)].clone();
        double[] d2 = new double[n];
        double pot = 0;
        for (int i = 0; i < n; i++) {
            d2[i] = Distances.sq(x[i], c[0]);
            pot += d2[i];
        }
        for (int ci = 1; ci < k; ci++) {
            int bestCand = -1;
            double bestPot = Double.MAX_VALUE;
            double[] bestD2 = null;
            for (int t = 0; t < trials; t++) {
                int cand = sample(d2, pot, rnd);
                double[] nd = new double[n];
                double p = 0;
                for (int i = 0; i < n; i++) {
                    nd[i] = Math.min(d2[i], Distances.sq(x[i], x[cand]));
                    p += nd[i];
                }
                if (p < bestPot) {
                    bestPot = p;
                    bestCand = cand;
                    bestD2 = nd;
                }
            }
            c[ci] = x[bestCand].clone();
            d2 = bestD2;
            pot = bestPot;
        }
        return c;
    }

    private static int sample(double[] w, double total, Random rnd) {
        if (!(total > 0)) return rnd.nextInt(w.length);
        double r = rnd.nextDouble() * total;
        double acc = 0;
        for (int i = 0; i < w.length; i++) {
            acc += w[i];
            if (acc >= r) return i;
        }
        return w.length - 1;
    }

    static Model lloyd(double[][] x, double[][] c, int maxIter) {
        int n = x.length, k = c.length, d = x[0].length;
        int[] lab = new int[n];
        java.util.Arrays.fill(lab, -1);
        double inertia = 0;
        for (int it = 0; it < maxIter; it++) {
            boolean changed = false;
            inertia = 0;
            for (int i = 0; i < n; i++) {
                int b = 0;
                double bd = Double.MAX_VALUE;
                for (int q = 0; q < k; q++) {
                    double dd = Distances.sq(x[i], c[q]);
                    if (dd < bd) {
                        bd = dd;
                        b = q;
                    }
                }
                if (lab[i] != b) changed = true;
                lab[i] = b;
                inertia += bd;
            }
            if (!changed && it > 0) break;
            double[][] s = new double[k][d];
            int[] cnt = new int[k];
            for (int i = 0; i < n; i++) {
                cnt[lab[i]]++;
                for (int j = 0; j < d; j++) s[lab[i]][j] += x[i][j];
            }
            for (int q = 0; q < k; q++) {
                if (cnt[q] == 0) continue; // keep an empty cluster's centroid
                for (int j = 0; j < d; j++) c[q][j] = s[q][j] / cnt[q];
            }
        }
        return new Model(c, lab, inertia);
    }
}
