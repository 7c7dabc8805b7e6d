package org.interphase.clustering;

/**
 * A method that computes all pairwise distances of its fitting rows (O(n^2) time and memory): it is fitted on a
 * random subsample of at most {@value #FIT_CAP} rows.
 */
public interface AllPairsClusterer extends Clusterer {
    /** Fitting sample cap of the all-pairs methods (HDBSCAN, density peaks). */
    int FIT_CAP = 4000;

    @Override
    default int sampleCap() {
        return FIT_CAP;
    }
}
