package org.interphase.clustering;

/**
 * A clustering method, configured and ready to fit: one implementation per method, created by name through
 * {@link Clusterers} (the CLI's {@code --method}). {@link #fit} clusters standardised rows and returns the
 * {@link ClusterModel} that labels new rows.
 */
public interface Clusterer {
    /** The method's CLI name, e.g. {@code kmeans}. */
    String name();

    /**
     * Fits on the rows (at least 2).
     *
     * @throws IllegalArgumentException (one line, cause and fix) when the rows cannot be clustered with these options
     */
    ClusterModel fit(double[][] z);

    /** Largest number of rows the method is fitted on (a random subsample of the larger samples); default all, see {@link AllPairsClusterer}. */
    default int sampleCap() {
        return Integer.MAX_VALUE;
    }

    /** Whether the fitted models carry a decision graph ({@link ClusterModel#decisionGraph()}) worth plotting. */
    default boolean hasDecisionGraph() {
        return false;
    }

    /** The user's message for a failed {@link #fit} with this cause: by default, what to change in k or the input. */
    default String failureMessage(String cause) {
        return cause + ": use a smaller --k or a larger trajectory";
    }
}
