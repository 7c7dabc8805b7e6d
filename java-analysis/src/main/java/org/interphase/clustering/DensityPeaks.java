package org.interphase.clustering;

import java.util.Arrays;

/**
 * Density-peak clustering (A. Rodriguez and A. Laio, Science 344, 1492 (2014)), with the k-nearest-neighbour density
 * of DADApy as the density: for each point i, with r_ik the distance to its k-th nearest neighbour (itself excluded)
 * and D the intrinsic dimension,
 *
 * <pre>
 *   log rho_i = log k - log(N) - [ (D/2) log pi - ln Gamma(D/2 + 1) + D log r_ik ]
 * </pre>
 *
 * delta_i is the distance to the nearest point of higher density (ties: the lower index does not count as higher);
 * the densest point gets 1.05 times the largest delta. In order of decreasing density, a point with
 * log rho &gt; densCut and delta &gt; deltaCut is a new cluster centre, every other point joins the cluster of its
 * nearest denser point. The decision graph is (log rho, delta).
 *
 * @param logDensity log rho of every point
 * @param delta      distance to the nearest denser point
 * @param denser     index of that point (-1 for the densest)
 * @param labels     cluster of every point
 * @param centres    indices of the cluster centres, in cluster order
 */
public record DensityPeaks(double[] logDensity, double[] delta, int[] denser, int[] labels, int[] centres) {

    /** Parameters: k neighbours, intrinsic dimension (0 = the dimension of the data), and the two cuts. */
    public record Parameters(int k, int dimension, double densCut, double deltaCut) {
        /** Checks the values; messages name cause and fix. */
        public Parameters {
            if (k < 1) throw new IllegalArgumentException("--dpc K must be >= 1, got " + k + ": e.g. --dpc 10:2.0");
            if (dimension < 0) throw new IllegalArgumentException("--dpc ID must be >= 0 (0 = the data's dimension), got " + dimension);
            if (!(deltaCut > 0) || !Double.isFinite(deltaCut)) {
                throw new IllegalArgumentException("--dpc DELTA_CUT must be a positive distance, got " + deltaCut + ": e.g. --dpc 10:2.0");
            }
            if (Double.isNaN(densCut)) throw new IllegalArgumentException("--dpc DENS_CUT must be a number");
        }
    }

    /** Number of clusters. */
    public int k() {
        return centres.length;
    }

    /**
     * Clusters the rows of x.
     *
     * @throws IllegalArgumentException when there are not more than k points
     */
    public static DensityPeaks fit(double[][] x, Parameters p) {
        int n = x.length;
        if (n <= p.k()) throw new IllegalArgumentException("density peaks with --dpc K=" + p.k() + " needs more than " + p.k()
                + " atoms per clustered group, got " + n + ": lower K or analyse more atoms");
        int dim = p.dimension() > 0 ? p.dimension() : x[0].length;
        double logPrefactor = dim / 2.0 * Math.log(Math.PI) - org.apache.commons.math3.special.Gamma.logGamma(dim / 2.0 + 1);
        double[] logDen = new double[n];
        double[] row = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) row[j] = j == i ? Double.POSITIVE_INFINITY : Distances.sq(x[i], x[j]);
            double rk = Math.sqrt(kthSmallest(row, p.k()));
            logDen[i] = Math.log(p.k()) - (logPrefactor + dim * Math.log(rk)) - Math.log(n);
        }
        double[] delta = new double[n];
        int[] denser = new int[n];
        double maxDelta = 0;
        int top = -1;
        for (int i = 0; i < n; i++) {
            double best = Double.MAX_VALUE;
            int bj = -1;
            for (int j = 0; j < n; j++) {
                // denser: a higher density, or an equal one and a lower index (identical environments, e.g. of a
                // perfect crystal, have r_k = 0 and the same infinite density: they chain onto the first of them)
                if (j == i || logDen[j] < logDen[i] || (logDen[j] == logDen[i] && j > i)) continue;
                double d2 = Distances.sq(x[i], x[j]);
                if (d2 < best) {
                    best = d2;
                    bj = j;
                }
            }
            denser[i] = bj;
            if (bj < 0) {
                top = i;
            } else {
                delta[i] = Math.sqrt(best);
                maxDelta = Math.max(maxDelta, delta[i]);
            }
        }
        for (int i = 0; i < n; i++) if (denser[i] < 0) delta[i] = 1.05 * maxDelta;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(logDen[b], logDen[a]));
        int[] labels = new int[n];
        int[] centres = new int[n];
        int nc = 0;
        for (int r = 0; r < n; r++) {
            int j = order[r];
            if ((logDen[j] > p.densCut() && delta[j] > p.deltaCut()) || denser[j] < 0) {
                labels[j] = nc;
                centres[nc++] = j;
            } else {
                labels[j] = labels[denser[j]];
            }
        }
        if (top < 0) throw new IllegalStateException("no densest point");
        return new DensityPeaks(logDen, delta, denser, labels, Arrays.copyOf(centres, nc));
    }

    /** The k-th smallest value (1-based) of a; a is reordered. */
    private static double kthSmallest(double[] a, int k) {
        double[] c = a.clone();
        Arrays.sort(c);
        return c[k - 1];
    }
}
