package org.interphase.clustering;

import java.util.Arrays;

/**
 * {@code --method hdbscan}: {@link Hdbscan} with min_samples = min_cluster_size, fitted on at most
 * {@link AllPairsClusterer#FIT_CAP} rows. A new row joins the nearest cluster centroid when it lies within
 * {@value #RADIUS_FACTOR} times that cluster's largest member distance, else it is noise (-1).
 *
 * @param minClusterSize HDBSCAN min_cluster_size (and min_samples)
 */
public record HdbscanClusterer(int minClusterSize) implements AllPairsClusterer {
    /** CLI name. */
    public static final String NAME = "hdbscan";
    /** A cluster's prediction radius is this times the distance of its farthest fitted member from its centroid. */
    static final double RADIUS_FACTOR = 1.5;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ClusterModel fit(double[][] z) {
        int[] lab = Hdbscan.fit(z, minClusterSize, minClusterSize);
        int kk = Arrays.stream(lab).max().orElse(-1) + 1;
        double[][] c = Distances.centroids(z, lab, kk);
        double[] rad = new double[kk];
        for (int i = 0; i < z.length; i++) if (lab[i] >= 0) rad[lab[i]] = Math.max(rad[lab[i]], Math.sqrt(Distances.sq(z[i], c[lab[i]])));
        for (int q = 0; q < kk; q++) rad[q] = rad[q] * RADIUS_FACTOR + 1e-9;
        return new Model(c, rad, lab, "HDBSCAN min_cluster_size=" + minClusterSize + " found " + kk + " clusters");
    }

    /** Centroids with radii: beyond its nearest centroid's radius a row is noise. */
    private record Model(double[][] centroids, double[] radius, int[] sampleLabels, String selection) implements ClusterModel {
        @Override
        public int k() {
            return centroids.length;
        }

        @Override
        public int predict(double[] z) {
            int best = centroids.length == 0 ? -1 : Distances.nearest(z, centroids);
            return best >= 0 && Math.sqrt(Distances.sq(z, centroids[best])) <= radius[best] ? best : -1;
        }
    }
}
