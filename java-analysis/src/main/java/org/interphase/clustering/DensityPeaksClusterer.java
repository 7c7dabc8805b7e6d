package org.interphase.clustering;

import java.util.Locale;
import java.util.Optional;

/**
 * {@code --method dpc}: {@link DensityPeaks}, fitted on at most {@link AllPairsClusterer#FIT_CAP} rows; new rows join
 * the nearest cluster centroid. The fit keeps its decision graph.
 *
 * @param parameters density-peak parameters
 */
public record DensityPeaksClusterer(DensityPeaks.Parameters parameters) implements AllPairsClusterer {
    /** CLI name. */
    public static final String NAME = "dpc";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean hasDecisionGraph() {
        return true;
    }

    /** Density-peak messages already name their fix (K, the cuts, more atoms). */
    @Override
    public String failureMessage(String cause) {
        return cause;
    }

    @Override
    public ClusterModel fit(double[][] z) {
        DensityPeaks dp = DensityPeaks.fit(z, parameters);
        DensityPeaks.Parameters p = parameters;
        String how = String.format(Locale.ROOT, "density peaks k=%d ID=%s dens_cut=%s delta_cut=%s found %d clusters", p.k(),
                p.dimension() == 0 ? "dim" : p.dimension(), p.densCut(), p.deltaCut(), dp.k());
        return new Model(Distances.centroids(z, dp.labels(), dp.k()), dp, how);
    }

    /** Centroids of the density-peak clusters, with the fit's decision graph. */
    private record Model(double[][] centroids, DensityPeaks fit, String selection) implements ClusterModel {
        @Override
        public int k() {
            return fit.k();
        }

        @Override
        public int[] sampleLabels() {
            return fit.labels();
        }

        @Override
        public int predict(double[] z) {
            return Distances.nearest(z, centroids);
        }

        @Override
        public Optional<DensityPeaks> decisionGraph() {
            return Optional.of(fit);
        }
    }
}
