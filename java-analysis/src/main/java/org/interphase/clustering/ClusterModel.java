package org.interphase.clustering;

import java.util.Optional;

/**
 * A fitted clustering of standardised rows ({@link Clusterer#fit}): the labels of the fitting sample, how k was chosen,
 * and the rule that labels a new row. Implementations are immutable.
 */
public interface ClusterModel {
    /** Number of clusters. */
    int k();

    /** Labels of the fitting sample, in its row order (-1 = noise). */
    int[] sampleLabels();

    /** Text describing how k was chosen or found (scores per k); empty for a model of a given k. */
    default String selection() {
        return "";
    }

    /** Label of a standardised row (-1 = noise, for methods that have noise). */
    int predict(double[] z);

    /** The density-peak decision graph of the fit, for methods that have one. */
    default Optional<DensityPeaks> decisionGraph() {
        return Optional.empty();
    }
}
