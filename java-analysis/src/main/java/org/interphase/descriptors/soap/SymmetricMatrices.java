package org.interphase.descriptors.soap;

/**
 * Small dense symmetric-matrix helpers for building orthonormal radial bases: the cyclic Jacobi
 * eigenvalue method (accurate for the small, positive definite but ill-conditioned overlap matrices
 * of SOAP radial bases) and the Loewdin inverse square root S^(-1/2) = V diag(1/sqrt(lambda)) V^T.
 */
public final class SymmetricMatrices {
    private SymmetricMatrices() {
    }

    /**
     * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations.
     *
     * @param a symmetric n x n matrix (not modified)
     * @param vectors receives the eigenvectors as COLUMNS (n x n)
     * @return the eigenvalues, in the order of the columns of {@code vectors}
     */
    public static double[] eigen(double[][] a, double[][] vectors) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) throw new IllegalArgumentException("matrix is not square");
            m[i] = a[i].clone();
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) vectors[i][j] = i == j ? 1.0 : 0.0;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0.0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) off += m[p][q] * m[p][q];
            }
            if (off == 0.0) break;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = m[p][q];
                    if (apq == 0.0) continue;
                    double app = m[p][p], aqq = m[q][q];
                    // Skip rotations that can no longer change the diagonal.
                    if (Math.abs(apq) < 1e-300
                            || (Math.abs(apq) <= 1e-18 * Math.abs(app) && Math.abs(apq) <= 1e-18 * Math.abs(aqq))) {
                        m[p][q] = m[q][p] = 0.0;
                        continue;
                    }
                    double theta = (aqq - app) / (2.0 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1.0));
                    if (theta == 0.0) t = 1.0;
                    double c = 1.0 / Math.sqrt(t * t + 1.0);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double mkp = m[k][p], mkq = m[k][q];
                        m[k][p] = c * mkp - s * mkq;
                        m[k][q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++) {
                        double mpk = m[p][k], mqk = m[q][k];
                        m[p][k] = c * mpk - s * mqk;
                        m[q][k] = s * mpk + c * mqk;
                    }
                    m[p][q] = m[q][p] = 0.0;
                    for (int k = 0; k < n; k++) {
                        double vkp = vectors[k][p], vkq = vectors[k][q];
                        vectors[k][p] = c * vkp - s * vkq;
                        vectors[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        double[] w = new double[n];
        for (int i = 0; i < n; i++) w[i] = m[i][i];
        return w;
    }

    /**
     * Loewdin orthonormalisation factors S^(-1/2) of a symmetric positive definite overlap matrix.
     *
     * @param s    overlap matrix
     * @param what description used in the error message, e.g. "gto radial basis (l=3)"
     * @param hint what the user should change when the matrix is numerically singular
     * @throws IllegalArgumentException if S is not numerically positive definite
     */
    public static double[][] inverseSqrt(double[][] s, String what, String hint) {
        int n = s.length;
        double[][] v = new double[n][n];
        double[] w = eigen(s, v);
        for (double x : w) {
            if (!(x > 0) || !Double.isFinite(1.0 / Math.sqrt(x))) throw singular(what, hint);
        }
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                for (int k = 0; k < n; k++) sum += v[i][k] * v[j][k] / Math.sqrt(w[k]);
                out[i][j] = sum;
            }
        }
        // The result must orthonormalise: beta S beta^T = I.
        double worst = 0.0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                for (int a = 0; a < n; a++) {
                    double t = 0.0;
                    for (int b = 0; b < n; b++) t += s[a][b] * out[j][b];
                    sum += out[i][a] * t;
                }
                worst = Math.max(worst, Math.abs(sum - (i == j ? 1.0 : 0.0)));
            }
        }
        if (!(worst <= ORTHONORMALITY_TOLERANCE)) throw singular(what, hint);
        return out;
    }

    /** Largest allowed deviation of beta S beta^T from the identity. */
    public static final double ORTHONORMALITY_TOLERANCE = 1e-4;

    private static IllegalArgumentException singular(String what, String hint) {
        return new IllegalArgumentException("the overlap matrix of the " + what
                + " is numerically singular, so the basis cannot be orthonormalised: " + hint);
    }
}
