package org.interphase.clustering;

import java.util.Locale;

/**
 * {@code --method adp}: {@link AdvancedDensityPeaks}, fitted on at most {@link AllPairsClusterer#FIT_CAP} rows; new
 * rows join the nearest cluster centroid.
 *
 * @param parameters advanced density-peak parameters
 */
public record AdvancedDensityPeaksClusterer(AdvancedDensityPeaks.Parameters parameters) implements AllPairsClusterer {
    /** CLI name. */
    public static final String NAME = "adp";

    @Override
    public String name() {
        return NAME;
    }

    /** Its messages already name their fix (K, Z, more atoms). */
    @Override
    public String failureMessage(String cause) {
        return cause;
    }

    @Override
    public ClusterModel fit(double[][] z) {
        AdvancedDensityPeaks adp = AdvancedDensityPeaks.fit(z, parameters);
        AdvancedDensityPeaks.Parameters p = parameters;
        String how = String.format(Locale.ROOT, "advanced density peaks k=%d ID=%s Z=%s: %d of %d putative peaks significant", p.k(),
                p.dimension() == 0 ? "dim" : p.dimension(), p.z(), adp.k(), adp.putative());
        return new Model(Distances.centroids(z, adp.labels(), adp.k()), adp.labels(), how);
    }

    /** Centroids of the clusters and the fit's labels. */
    private record Model(double[][] centroids, int[] sampleLabels, String selection) implements ClusterModel {
        @Override
        public int k() {
            return centroids.length;
        }

        @Override
        public int predict(double[] x) {
            return Distances.nearest(x, centroids);
        }
    }
}
