package org.interphase.clustering;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * Gaussian mixture with full covariances fitted by expectation-maximisation, initialised from k-means++ /
 * k-means labels; reg (default 1e-6) is added to covariance diagonals as in scikit-learn; stops when the mean
 * log-likelihood changes by less than tol. The Cholesky factorisation and the triangular solves are EJML's.
 */
public final class GaussianMixture {
    /** A fitted mixture. */
    public record Model(double[] weights, double[][] means, DMatrixRMaj[] cholesky, double meanLogLikelihood, int n, boolean converged) {
        /** Number of free parameters. */
        public int parameters() {
            int k = weights.length, d = means[0].length;
            return k * d + k * d * (d + 1) / 2 + k - 1;
        }

        /** Bayesian information criterion (lower is better). */
        public double bic() {
            return -2.0 * meanLogLikelihood * n + parameters() * Math.log(n);
        }

        /** Most probable component of x. */
        public int predict(double[] x) {
            double[] lp = logJoint(x);
            int b = 0;
            for (int c = 1; c < lp.length; c++) if (lp[c] > lp[b]) b = c;
            return b;
        }

        double[] logJoint(double[] x) {
            int k = weights.length;
            double[] out = new double[k];
            for (int c = 0; c < k; c++) out[c] = Math.log(weights[c]) + logGauss(x, means[c], cholesky[c]);
            return out;
        }
    }

    private GaussianMixture() {
    }

    /** log N(x | mu, L L^T) for the lower Cholesky factor L (row-major d x d). */
    static double logGauss(double[] x, double[] mu, DMatrixRMaj l) {
        int d = x.length;
        double[] y = new double[d];
        for (int i = 0; i < d; i++) y[i] = x[i] - mu[i];
        TriangularSolver_DDRM.solveL(l.data, y, d); // y = L^-1 (x - mu)
        double maha = 0, logdet = 0;
        for (int i = 0; i < d; i++) {
            maha += y[i] * y[i];
            logdet += Math.log(l.unsafe_get(i, i));
        }
        return -0.5 * (d * Math.log(2 * Math.PI) + maha) - logdet;
    }

    /** Lower Cholesky factor of a symmetric positive definite matrix (EJML). */
    static DMatrixRMaj cholesky(double[][] a) {
        int d = a.length;
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
        if (!chol.decompose(new DMatrixRMaj(a))) throw new IllegalStateException("covariance is not positive definite");
        return chol.getT(null);
    }

    /** Fits k components. */
    public static Model fit(double[][] x, int k, long seed, int maxIter, double tol, double reg) {
        int n = x.length, d = x[0].length;
        KMeans.Model km = KMeans.fit(x, k, seed, 1, 300);
        double[][] resp = new double[n][k];
        for (int i = 0; i < n; i++) resp[i][km.labels()[i]] = 1.0;
        double[] w = new double[k];
        double[][] mu = new double[k][d];
        DMatrixRMaj[] chol = new DMatrixRMaj[k];
        mStep(x, resp, w, mu, chol, reg);
        double prev = Double.NEGATIVE_INFINITY, ll = prev;
        boolean conv = false;
        for (int it = 0; it < maxIter; it++) {
            ll = 0;
            for (int i = 0; i < n; i++) {
                double[] lp = new double[k];
                double mx = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    lp[c] = Math.log(w[c]) + logGauss(x[i], mu[c], chol[c]);
                    mx = Math.max(mx, lp[c]);
                }
                double s = 0;
                for (int c = 0; c < k; c++) s += Math.exp(lp[c] - mx);
                double lse = mx + Math.log(s);
                ll += lse;
                for (int c = 0; c < k; c++) resp[i][c] = Math.exp(lp[c] - lse);
            }
            ll /= n;
            if (Math.abs(ll - prev) < tol) {
                conv = true;
                break;
            }
            prev = ll;
            mStep(x, resp, w, mu, chol, reg);
        }
        return new Model(w, mu, chol, ll, n, conv);
    }

    private static void mStep(double[][] x, double[][] resp, double[] w, double[][] mu, DMatrixRMaj[] chol, double reg) {
        int n = x.length, d = x[0].length, k = w.length;
        for (int c = 0; c < k; c++) {
            double nk = 10 * Math.ulp(1.0);
            double[] m = new double[d];
            for (int i = 0; i < n; i++) {
                nk += resp[i][c];
                for (int j = 0; j < d; j++) m[j] += resp[i][c] * x[i][j];
            }
            for (int j = 0; j < d; j++) m[j] /= nk;
            double[][] cov = new double[d][d];
            for (int i = 0; i < n; i++) {
                double r = resp[i][c];
                if (r == 0) continue;
                for (int a = 0; a < d; a++) {
                    double da = x[i][a] - m[a];
                    for (int b = 0; b <= a; b++) cov[a][b] += r * da * (x[i][b] - m[b]);
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    cov[a][b] /= nk;
                    cov[b][a] = cov[a][b];
                }
                cov[a][a] += reg;
            }
            w[c] = nk / n;
            mu[c] = m;
            chol[c] = cholesky(cov);
        }
    }
}
