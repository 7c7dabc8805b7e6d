package org.interphase.clustering;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A fitted clustering that can label new points, built by one of the methods (k-means, Gaussian mixture,
 * HDBSCAN) on standardised features, with the choice of k by BIC or silhouette when k is not given.
 *
 * @param method     method name
 * @param k          number of clusters
 * @param centroids  cluster centroids (standardised space)
 * @param sampleLabels labels of the fitting sample (-1 = noise)
 * @param selection  text describing how k was chosen (scores per k)
 */
public record ClusterModel(Method method, int k, double[][] centroids, int[] sampleLabels, String selection,
        KMeans.Model kmeans, GaussianMixture.Model gmm, double[] radius, DensityPeaks dpc) {

    /** Clustering methods. */
    public enum Method { KMEANS, GMM, HDBSCAN, DPC }

    /** Model selection criteria for k. */
    public enum Criterion { BIC, SILHOUETTE }

    /** Label of a standardised point (-1 = noise, HDBSCAN only). */
    public int predict(double[] z) {
        return switch (method) {
            case KMEANS -> kmeans.predict(z);
            case GMM -> gmm.predict(z);
            case DPC -> nearest(z);
            case HDBSCAN -> {
                int best = centroids.length == 0 ? -1 : nearest(z);
                yield best >= 0 && Math.sqrt(Distances.sq(z, centroids[best])) <= radius[best] ? best : -1;
            }
        };
    }

    private int nearest(double[] z) {
        int best = 0;
        double bd = Double.MAX_VALUE;
        for (int c = 0; c < centroids.length; c++) {
            double d = Distances.sq(z, centroids[c]);
            if (d < bd) {
                bd = d;
                best = c;
            }
        }
        return best;
    }

    /** Fits a model; density peaks with the default parameters (see {@link #fit(double[][], Method, int, int, int, Criterion, long, int, DensityPeaks.Parameters)}). */
    public static ClusterModel fit(double[][] z, Method method, int k, int kMin, int kMax, Criterion criterion, long seed,
            int minClusterSize) {
        return fit(z, method, k, kMin, kMax, criterion, seed, minClusterSize, new DensityPeaks.Parameters(10, 0, Double.NEGATIVE_INFINITY, 2.0));
    }

    /**
     * Fits a model.
     *
     * @param z         standardised sample rows
     * @param method    method
     * @param k         clusters (0 = choose in [kMin, kMax]; ignored by HDBSCAN)
     * @param criterion criterion for choosing k
     * @param minClusterSize HDBSCAN min_cluster_size (min_samples = same)
     * @param dpc       density-peak parameters (method DPC; new points join the nearest cluster centroid)
     */
    public static ClusterModel fit(double[][] z, Method method, int k, int kMin, int kMax, Criterion criterion, long seed,
            int minClusterSize, DensityPeaks.Parameters dpc) {
        int n = z.length;
        if (n < 2) throw new IllegalArgumentException("need at least 2 atoms to cluster, got " + n);
        if (method == Method.DPC) {
            DensityPeaks dp = DensityPeaks.fit(z, dpc);
            double[][] c = centroidsOf(z, dp.labels(), dp.k());
            return new ClusterModel(method, dp.k(), c, dp.labels(), String.format(java.util.Locale.ROOT,
                    "density peaks k=%d ID=%s dens_cut=%s delta_cut=%s found %d clusters", dpc.k(), dpc.dimension() == 0 ? "dim" : dpc.dimension(),
                    dpc.densCut(), dpc.deltaCut(), dp.k()), null, null, null, dp);
        }
        if (method == Method.HDBSCAN) {
            int[] lab = Hdbscan.fit(z, minClusterSize, minClusterSize);
            int kk = Arrays.stream(lab).max().orElse(-1) + 1;
            double[][] c = centroidsOf(z, lab, kk);
            double[] rad = new double[kk];
            for (int i = 0; i < n; i++) if (lab[i] >= 0) rad[lab[i]] = Math.max(rad[lab[i]], Math.sqrt(Distances.sq(z[i], c[lab[i]])));
            for (int q = 0; q < kk; q++) rad[q] = rad[q] * 1.5 + 1e-9;
            return new ClusterModel(method, kk, c, lab, "HDBSCAN min_cluster_size=" + minClusterSize + " found " + kk + " clusters", null, null, rad, null);
        }
        List<Integer> ks = new ArrayList<>();
        if (k > 0) {
            ks.add(Math.min(k, n));
        } else {
            for (int q = Math.max(1, kMin); q <= Math.min(kMax, n - 1); q++) ks.add(q);
            if (criterion == Criterion.SILHOUETTE) ks.removeIf(q -> q < 2);
            if (ks.isEmpty()) ks.add(Math.min(2, n));
        }
        StringBuilder sel = new StringBuilder();
        ClusterModel best = null;
        double bestScore = Double.NaN;
        double[][] silSample = subsample(z, 2000, seed);
        for (int q : ks) {
            ClusterModel m;
            if (method == Method.KMEANS) {
                KMeans.Model km = KMeans.fit(z, q, seed, 4, 300);
                m = new ClusterModel(method, q, km.centroids(), km.labels(), "", km, null, null, null);
            } else {
                GaussianMixture.Model g = GaussianMixture.fit(z, q, seed, 200, 1e-3, 1e-6);
                int[] lab = new int[n];
                for (int i = 0; i < n; i++) lab[i] = g.predict(z[i]);
                m = new ClusterModel(method, q, g.means(), lab, "", null, g, null, null);
            }
            if (ks.size() == 1) {
                best = m;
                sel.append("k=").append(q).append(" (given)");
                break;
            }
            double score;
            if (criterion == Criterion.BIC) {
                GaussianMixture.Model g = m.gmm != null ? m.gmm : GaussianMixture.fit(z, q, seed, 200, 1e-3, 1e-6);
                score = -g.bic(); // larger is better
                sel.append(String.format(java.util.Locale.ROOT, "k=%d BIC=%.1f; ", q, g.bic()));
            } else {
                int[] lab = new int[silSample.length];
                for (int i = 0; i < lab.length; i++) lab[i] = m.predict(silSample[i]);
                score = Metrics.silhouette(silSample, lab, q);
                sel.append(String.format(java.util.Locale.ROOT, "k=%d silhouette=%.4f; ", q, score));
            }
            if (best == null || score > bestScore) {
                best = m;
                bestScore = score;
            }
        }
        String how = ks.size() == 1 ? sel.toString() : "k=" + best.k + " chosen by " + criterion.name().toLowerCase(java.util.Locale.ROOT) + " over " + sel.toString().trim();
        return new ClusterModel(best.method, best.k, best.centroids, best.sampleLabels, how, best.kmeans, best.gmm, null, null);
    }

    static double[][] centroidsOf(double[][] z, int[] lab, int k) {
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

    /** Deterministic random subsample of at most m rows (all rows when n <= m). */
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
