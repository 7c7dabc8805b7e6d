package org.interphase.clustering;

/**
 * {@code --method gmm}: a {@link GaussianMixture} with full covariances and the choice of k of {@link KChoice}. New
 * rows join their most probable component.
 *
 * @param choice how k is chosen
 * @param seed   random seed
 */
public record GaussianMixtureClusterer(KChoice choice, long seed) implements Clusterer {
    /** CLI name. */
    public static final String NAME = "gmm";
    /** EM iterations at most. */
    static final int MAX_ITERATIONS = 200;
    /** EM stops when the mean log-likelihood changes by less than this. */
    static final double TOLERANCE = 1e-3;
    /** Added to the covariance diagonals (scikit-learn's reg_covar). */
    static final double REGULARISATION = 1e-6;

    @Override
    public String name() {
        return NAME;
    }

    /** THE mixture fit of k components with this method's settings (also k-means's BIC score). */
    static GaussianMixture.Model mixture(double[][] z, int k, long seed) {
        return GaussianMixture.fit(z, k, seed, MAX_ITERATIONS, TOLERANCE, REGULARISATION);
    }

    @Override
    public ClusterModel fit(double[][] z) {
        return choice.choose(z, seed, q -> {
            GaussianMixture.Model g = mixture(z, q, seed);
            int[] lab = new int[z.length];
            for (int i = 0; i < z.length; i++) lab[i] = g.predict(z[i]);
            return new KChoice.Candidate(new Model(g, lab), g::bic);
        });
    }

    /** A mixture as a cluster model. */
    private record Model(GaussianMixture.Model mixture, int[] sampleLabels) implements ClusterModel {
        @Override
        public int k() {
            return mixture.weights().length;
        }

        @Override
        public int predict(double[] z) {
            return mixture.predict(z);
        }
    }
}
