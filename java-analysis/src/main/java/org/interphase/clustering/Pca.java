package org.interphase.clustering;

import java.util.Random;

/**
 * Principal component analysis from the singular value decomposition of the centred sample A (rows = samples),
 * never from a general eigen-solver on a large covariance matrix:
 *
 * <ul>
 *   <li>Columns whose sample variance is at most {@value #CONSTANT_TOLERANCE} of the largest are dropped first
 *       (constant features, e.g. the SOAP block of a species absent from the sample); their loadings are 0.</li>
 *   <li>Small problems (min(n, d) &lt;= {@link #EXACT_LIMIT}): exact, by Jacobi rotations on the Gram matrix
 *       A A^T / (n-1) when there are fewer samples than features (right singular vectors v = A^T u / s), else on the
 *       covariance A^T A / (n-1).</li>
 *   <li>Large problems: block subspace iteration on the covariance operator, applied as A^T (A Q) without forming
 *       it, with Rayleigh-Ritz (Jacobi) on the small projected matrix (Halko, Martinsson and Tropp, SIAM Rev. 53,
 *       217 (2011), algorithm 4.4 with Rayleigh-Ritz). It iterates until the leading k variances change by less
 *       than 1e-10 relative, at most 200 times; the components are orthonormal in every iteration.</li>
 * </ul>
 *
 * Rank-deficient samples are fine: components beyond the rank get variance 0. Components are unit vectors of the
 * full feature space, sorted by decreasing variance, each with its largest entry positive.
 */
public final class Pca {
    /** Relative variance below which a column counts as constant. */
    public static final double CONSTANT_TOLERANCE = 1e-24;
    /** Largest min(n, d) solved exactly. */
    public static final int EXACT_LIMIT = 300;

    private final double[] mean;
    private final double[][] components; // [k][d], unit rows, by decreasing variance
    private final double[] variance;     // explained variance of each component
    private final double totalVariance;

    private Pca(double[] mean, double[][] components, double[] variance, double total) {
        this.mean = mean;
        this.components = components;
        this.variance = variance;
        this.totalVariance = total;
    }

    /** Fits k components on the rows of x (see the class comment). */
    public static Pca fit(double[][] x, int k) {
        return fit(x, k, EXACT_LIMIT, 12345L);
    }

    /**
     * Fits k components; {@code exactLimit} is the largest min(n, d) solved exactly (tests use it to exercise both
     * paths), seed fixes the start block of the iteration.
     *
     * @throws IllegalArgumentException (one line, cause and fix) for fewer than 2 rows, ragged rows, non-finite
     *                                  values or k &lt; 1
     */
    public static Pca fit(double[][] x, int k, int exactLimit, long seed) {
        if (x.length < 2) throw new IllegalArgumentException("PCA needs at least 2 samples, got " + x.length + ": analyse more atoms or frames");
        if (k < 1) throw new IllegalArgumentException("PCA needs at least 1 component, got " + k);
        int n = x.length, d = x[0].length;
        double[] mu = new double[d];
        for (int i = 0; i < n; i++) {
            if (x[i].length != d) throw new IllegalArgumentException("PCA sample rows differ in length: descriptors are inconsistent");
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(x[i][j])) {
                    throw new IllegalArgumentException("descriptor feature " + j + " of sample " + i + " is " + x[i][j]
                            + ": check the input coordinates for NaN/overlapping atoms");
                }
                mu[j] += x[i][j];
            }
        }
        for (int j = 0; j < d; j++) mu[j] /= n;
        double[] colVar = new double[d];
        for (double[] r : x) for (int j = 0; j < d; j++) colVar[j] += (r[j] - mu[j]) * (r[j] - mu[j]);
        double maxVar = 0, total = 0;
        for (int j = 0; j < d; j++) {
            colVar[j] /= n - 1;
            maxVar = Math.max(maxVar, colVar[j]);
            total += colVar[j];
        }
        double floor = CONSTANT_TOLERANCE * maxVar;
        int[] keep = java.util.stream.IntStream.range(0, d).filter(j -> colVar[j] > floor && colVar[j] > 0).toArray();
        int dk = keep.length;
        int kk = Math.min(k, d);
        double[][] comp = new double[kk][d];
        double[] var = new double[kk];
        if (dk == 0) { // every feature constant: any orthonormal basis, variance 0
            for (int c = 0; c < kk; c++) comp[c][c] = 1;
            return new Pca(mu, comp, var, 0);
        }
        double[][] a = new double[n][dk]; // centred, constant columns dropped
        for (int i = 0; i < n; i++) for (int j = 0; j < dk; j++) a[i][j] = x[i][keep[j]] - mu[keep[j]];
        int r = Math.min(kk, Math.min(n, dk));
        double[][] v; // [r][dk]
        double[] lam;
        if (Math.min(n, dk) <= exactLimit) {
            if (n <= dk) {
                double[][] g = new double[n][n];
                for (int i = 0; i < n; i++) for (int q = i; q < n; q++) {
                    double s = dot(a[i], a[q]) / (n - 1);
                    g[i][q] = s;
                    g[q][i] = s;
                }
                JacobiEigen e = JacobiEigen.of(g);
                v = new double[r][dk];
                lam = new double[r];
                for (int c = 0; c < r; c++) {
                    lam[c] = Math.max(0, e.values()[c]);
                    double[] u = e.vectors()[c];
                    for (int i = 0; i < n; i++) for (int j = 0; j < dk; j++) v[c][j] += u[i] * a[i][j];
                    normalise(v[c]); // v = A^T u / s; for s = 0 (rank deficient) re-orthonormalised below
                }
                orthonormaliseZeros(v, lam);
            } else {
                double[][] cov = new double[dk][dk];
                for (double[] row : a) for (int p = 0; p < dk; p++) {
                    double ap = row[p];
                    if (ap == 0) continue;
                    for (int q = p; q < dk; q++) cov[p][q] += ap * row[q];
                }
                for (int p = 0; p < dk; p++) for (int q = p; q < dk; q++) {
                    cov[p][q] /= n - 1;
                    cov[q][p] = cov[p][q];
                }
                JacobiEigen e = JacobiEigen.of(cov);
                v = new double[r][];
                lam = new double[r];
                for (int c = 0; c < r; c++) {
                    v[c] = e.vectors()[c];
                    lam[c] = Math.max(0, e.values()[c]);
                }
            }
        } else {
            double[][][] out = subspaceIteration(a, r, seed);
            v = out[0];
            lam = out[1][0];
        }
        for (int c = 0; c < r; c++) {
            double[] full = new double[d];
            for (int j = 0; j < dk; j++) full[keep[j]] = v[c][j];
            int big = 0;
            for (int j = 1; j < d; j++) if (Math.abs(full[j]) > Math.abs(full[big])) big = j;
            if (full[big] < 0) for (int j = 0; j < d; j++) full[j] = -full[j];
            comp[c] = full;
            var[c] = lam[c];
        }
        // components beyond the rank of the sample (k > min(n, d_kept)): unit vectors orthogonal to the others
        for (int c = r; c < kk; c++) {
            double[] e = null;
            for (int j = 0; j < d && e == null; j++) {
                double[] t = new double[d];
                t[j] = 1;
                for (int q = 0; q < c; q++) axpy(-dot(t, comp[q]), comp[q], t);
                if (Math.sqrt(dot(t, t)) > 1e-6) {
                    normalise(t);
                    e = t;
                }
            }
            comp[c] = e;
        }
        return new Pca(mu, comp, var, total);
    }

    /** Top-r right singular vectors and variances of a (n x d, centred) by block subspace iteration. */
    private static double[][][] subspaceIteration(double[][] a, int r, long seed) {
        int n = a.length, d = a[0].length;
        int l = Math.min(Math.min(n, d), r + 10);
        Random rnd = new Random(seed);
        double[][] q = new double[l][d];
        for (double[] row : q) for (int j = 0; j < d; j++) row[j] = rnd.nextGaussian();
        gramSchmidt(q);
        double[] prev = null;
        double[] ritz = new double[l];
        for (int it = 0; it < 200; it++) {
            double[][] y = applyCovariance(a, q); // [l][d] = (A^T A Q)^T / (n-1)
            // Rayleigh-Ritz on span(Y): orthonormalise, project, rotate
            gramSchmidt(y);
            double[][] cy = applyCovariance(a, y);
            double[][] t = new double[l][l];
            for (int p = 0; p < l; p++) for (int s = p; s < l; s++) {
                double v = dot(y[p], cy[s]);
                t[p][s] = v;
                t[s][p] = v;
            }
            JacobiEigen e = JacobiEigen.of(t);
            double[][] nq = new double[l][d];
            for (int c = 0; c < l; c++) for (int p = 0; p < l; p++) axpy(e.vectors()[c][p], y[p], nq[c]);
            q = nq;
            for (int c = 0; c < l; c++) ritz[c] = Math.max(0, e.values()[c]);
            if (prev != null) {
                double change = 0;
                for (int c = 0; c < r; c++) change = Math.max(change, Math.abs(ritz[c] - prev[c]) / Math.max(ritz[0], 1e-300));
                if (change < 1e-10) break;
            }
            prev = ritz.clone();
        }
        double[][] v = new double[r][];
        double[] lam = new double[r];
        for (int c = 0; c < r; c++) {
            v[c] = q[c];
            lam[c] = ritz[c];
        }
        return new double[][][] {v, {lam}};
    }

    /** Rows of (A^T A B^T)^T / (n-1) for the rows of b. */
    private static double[][] applyCovariance(double[][] a, double[][] b) {
        int n = a.length, d = a[0].length, l = b.length;
        double[][] out = new double[l][d];
        double[] ab = new double[l];
        for (double[] row : a) {
            for (int c = 0; c < l; c++) ab[c] = dot(row, b[c]);
            for (int c = 0; c < l; c++) axpy(ab[c] / (n - 1), row, out[c]);
        }
        return out;
    }

    /** Modified Gram-Schmidt, twice for stability; rows that vanish are replaced by a unit vector orthogonal to the others. */
    private static void gramSchmidt(double[][] q) {
        for (int pass = 0; pass < 2; pass++) {
            for (int c = 0; c < q.length; c++) {
                double before = Math.sqrt(dot(q[c], q[c]));
                for (int p = 0; p < c; p++) axpy(-dot(q[c], q[p]), q[p], q[c]);
                double after = Math.sqrt(dot(q[c], q[c]));
                if (!(after > 1e-12 * Math.max(before, 1e-300))) orthogonalUnit(q, c);
                normalise(q[c]);
            }
        }
    }

    /** Vectors of zero variance (rank deficiency) are replaced by an orthonormal completion of the others. */
    private static void orthonormaliseZeros(double[][] v, double[] lam) {
        double top = lam.length > 0 ? lam[0] : 0;
        for (int c = 0; c < v.length; c++) {
            if (lam[c] > 1e-13 * top && lam[c] > 0) continue;
            lam[c] = 0;
            orthogonalUnit(v, c);
            normalise(v[c]);
        }
    }

    /**
     * Replaces q[c] by the first unit vector e_j whose part orthogonal to q[0..c-1] keeps a norm above 1e-6: that
     * part, not yet normalised.
     */
    private static void orthogonalUnit(double[][] q, int c) {
        for (int j = 0; j < q[c].length; j++) {
            java.util.Arrays.fill(q[c], 0);
            q[c][j] = 1;
            for (int p = 0; p < c; p++) axpy(-dot(q[c], q[p]), q[p], q[c]);
            if (Math.sqrt(dot(q[c], q[c])) > 1e-6) break;
        }
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int j = 0; j < x.length; j++) s += x[j] * y[j];
        return s;
    }

    private static void axpy(double alpha, double[] x, double[] y) {
        for (int j = 0; j < x.length; j++) y[j] += alpha * x[j];
    }

    private static void normalise(double[] x) {
        double s = Math.sqrt(dot(x, x));
        if (s > 0) for (int j = 0; j < x.length; j++) x[j] /= s;
    }

    /** Projects one row onto the components. */
    public double[] transform(double[] row) {
        double[] out = new double[components.length];
        for (int c = 0; c < components.length; c++) {
            double s = 0;
            double[] v = components[c];
            for (int j = 0; j < row.length; j++) if (v[j] != 0) s += (row[j] - mean[j]) * v[j];
            out[c] = s;
        }
        return out;
    }

    /** Explained variance of each component (sample variance, n-1). */
    public double[] explainedVariance() {
        return variance.clone();
    }

    /** Explained variance ratio of each component. */
    public double[] explainedVarianceRatio() {
        double[] r = new double[variance.length];
        for (int c = 0; c < r.length; c++) r[c] = totalVariance > 0 ? variance[c] / totalVariance : 0;
        return r;
    }

    /** Components as rows (copy). */
    public double[][] components() {
        double[][] c = new double[components.length][];
        for (int i = 0; i < c.length; i++) c[i] = components[i].clone();
        return c;
    }
}
