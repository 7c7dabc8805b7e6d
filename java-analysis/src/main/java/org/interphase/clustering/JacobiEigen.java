package org.interphase.clustering;

/**
 * Eigen-decomposition of a small dense symmetric matrix by cyclic Jacobi rotations (Golub and Van Loan, Matrix
 * Computations, 4th ed., section 8.5). Jacobi always converges for a finite symmetric matrix (the off-diagonal norm
 * decreases monotonically), also with repeated or zero eigenvalues, which is why it is used here instead of an
 * iterative QR solver that can give up. Cost ~ 10 n^3 per sweep: meant for n up to a few hundred.
 *
 * @param values  eigenvalues, decreasing
 * @param vectors vectors[c] = unit eigenvector of values[c]
 */
public record JacobiEigen(double[] values, double[][] vectors) {

    /**
     * Decomposes the symmetric matrix a (only read, not modified).
     *
     * @throws IllegalArgumentException when a is not square or holds a non-finite entry
     */
    public static JacobiEigen of(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) throw new IllegalArgumentException("matrix is not square");
            for (double v : a[i]) if (!Double.isFinite(v)) throw new IllegalArgumentException("matrix has a non-finite entry");
            m[i] = a[i].clone();
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) v[i][i] = 1;
        double total = 0;
        for (double[] r : m) for (double x : r) total += x * x;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off += m[p][q] * m[p][q];
            if (off <= 1e-30 * total || off == 0) break;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = m[p][q];
                    if (apq == 0) continue;
                    double theta = (m[q][q] - m[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++) { // columns p, q
                        double mkp = m[k][p], mkq = m[k][q];
                        m[k][p] = c * mkp - s * mkq;
                        m[k][q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++) { // rows p, q
                        double mpk = m[p][k], mqk = m[q][k];
                        m[p][k] = c * mpk - s * mqk;
                        m[q][k] = s * mpk + c * mqk;
                    }
                    m[p][q] = 0;
                    m[q][p] = 0;
                    for (int k = 0; k < n; k++) { // accumulate V = V J
                        double vkp = v[k][p], vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(m[y][y], m[x][x]));
        double[] val = new double[n];
        double[][] vec = new double[n][n];
        for (int c = 0; c < n; c++) {
            val[c] = m[order[c]][order[c]];
            for (int k = 0; k < n; k++) vec[c][k] = v[k][order[c]];
        }
        return new JacobiEigen(val, vec);
    }
}
