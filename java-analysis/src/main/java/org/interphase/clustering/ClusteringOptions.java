package org.interphase.clustering;

/**
 * The clustering options of {@code interphase analyze}: which method ({@link Clusterers}), its parameters, and how
 * the fitting sample is drawn and split.
 *
 * @param method         CLI name of the method (a {@link Clusterers#names()} entry)
 * @param k              clusters (0 = choose in [kMin, kMax]; k-means and GMM)
 * @param kMin           smallest k tried
 * @param kMax           largest k tried
 * @param criterion      criterion for choosing k
 * @param minClusterSize HDBSCAN min_cluster_size
 * @param dpc            density-peak parameters
 * @param adp            advanced density-peak parameters
 * @param sample         max atom environments used to fit the clustering
 * @param perElement     cluster each centre element separately (k per element) instead of all atoms together
 */
public record ClusteringOptions(String method, int k, int kMin, int kMax, KChoice.Criterion criterion, int minClusterSize,
        DensityPeaks.Parameters dpc, AdvancedDensityPeaks.Parameters adp, int sample, boolean perElement) {

    /** The choice of k of these options. */
    public KChoice kChoice() {
        return new KChoice(k, kMin, kMax, criterion);
    }
}
