package org.interphase.clustering;

/**
 * {@code --method kmeans}: {@link KMeans} with the choice of k of {@link KChoice}; by BIC, each candidate is scored by
 * the Gaussian mixture started from it ({@link GaussianMixtureClusterer#mixture}). New rows join the nearest centroid.
 *
 * @param choice how k is chosen
 * @param seed   random seed
 */
public record KMeansClusterer(KChoice choice, long seed) implements Clusterer {
    /** CLI name. */
    public static final String NAME = "kmeans";
    /** Deterministic restarts (k-means++ seedings); the lowest inertia wins. */
    static final int RESTARTS = 4;
    /** Lloyd iterations per restart at most. */
    static final int MAX_ITERATIONS = 300;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ClusterModel fit(double[][] z) {
        return choice.choose(z, seed, q -> new KChoice.Candidate(new Model(KMeans.fit(z, q, seed, RESTARTS, MAX_ITERATIONS)),
                () -> GaussianMixtureClusterer.mixture(z, q, seed).bic()));
    }

    /** A k-means fit as a cluster model. */
    private record Model(KMeans.Model kmeans) implements ClusterModel {
        @Override
        public int k() {
            return kmeans.centroids().length;
        }

        @Override
        public int[] sampleLabels() {
            return kmeans.labels();
        }

        @Override
        public int predict(double[] z) {
            return kmeans.predict(z);
        }
    }
}
