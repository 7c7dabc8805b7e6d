package org.interphase.clustering;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;

/**
 * How the methods that take a k (k-means, Gaussian mixture) choose it: k itself when given (k &gt; 0), else the best
 * score over kMin..kMax by the criterion. THE place of the choice of k.
 *
 * @param k         clusters (0 = choose in [kMin, kMax])
 * @param kMin      smallest k tried
 * @param kMax      largest k tried
 * @param criterion score of a candidate k
 */
public record KChoice(int k, int kMin, int kMax, Criterion criterion) {
    /** Rows of the fitting sample the silhouette is computed on (O(n^2)). */
    public static final int SILHOUETTE_SAMPLE = 2000;

    /** Model selection criteria for k. */
    public enum Criterion { BIC, SILHOUETTE }

    /**
     * A fitted candidate with q clusters and its Bayesian information criterion, computed only when the criterion
     * is BIC.
     */
    public record Candidate(ClusterModel model, DoubleSupplier bic) {
    }

    /**
     * Fits the candidates {@code fit.apply(q)} for the k values to try and returns the best, its selection text saying
     * how k was chosen (the scores per k).
     */
    public ClusterModel choose(double[][] z, long seed, IntFunction<Candidate> fit) {
        int n = z.length;
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
        double[][] silSample = Samples.subsample(z, SILHOUETTE_SAMPLE, seed);
        for (int q : ks) {
            Candidate c = fit.apply(q);
            ClusterModel m = c.model();
            if (ks.size() == 1) {
                best = m;
                sel.append("k=").append(q).append(" (given)");
                break;
            }
            double score;
            if (criterion == Criterion.BIC) {
                double bic = c.bic().getAsDouble();
                score = -bic; // larger is better
                sel.append(String.format(Locale.ROOT, "k=%d BIC=%.1f; ", q, bic));
            } else {
                int[] lab = new int[silSample.length];
                for (int i = 0; i < lab.length; i++) lab[i] = m.predict(silSample[i]);
                score = Metrics.silhouette(silSample, lab, q);
                sel.append(String.format(Locale.ROOT, "k=%d silhouette=%.4f; ", q, score));
            }
            if (best == null || score > bestScore) {
                best = m;
                bestScore = score;
            }
        }
        String how = ks.size() == 1 ? sel.toString()
                : "k=" + best.k() + " chosen by " + criterion.name().toLowerCase(Locale.ROOT) + " over " + sel.toString().trim();
        return new Chosen(best, how);
    }

    /** The chosen candidate with the text saying how it was chosen. */
    private record Chosen(ClusterModel model, String selection) implements ClusterModel {
        @Override
        public int k() {
            return model.k();
        }

        @Override
        public int[] sampleLabels() {
            return model.sampleLabels();
        }

        @Override
        public int predict(double[] z) {
            return model.predict(z);
        }
    }
}
