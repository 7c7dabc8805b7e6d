package org.interphase.clustering;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/** Principal component analysis by symmetric eigen-decomposition of the covariance matrix (EJML). */
public final class Pca {
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

    /** Fits k components on the rows of x. The sign of each component is fixed so its largest entry is positive. */
    public static Pca fit(double[][] x, int k) {
        int n = x.length, d = x[0].length;
        k = Math.min(k, d);
        double[] mu = new double[d];
        for (double[] r : x) for (int j = 0; j < d; j++) mu[j] += r[j];
        for (int j = 0; j < d; j++) mu[j] /= n;
        double[][] cov = new double[d][d];
        for (double[] r : x) {
            for (int a = 0; a < d; a++) {
                double da = r[a] - mu[a];
                for (int b = a; b < d; b++) cov[a][b] += da * (r[b] - mu[b]);
            }
        }
        double total = 0;
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= Math.max(1, n - 1);
                cov[b][a] = cov[a][b];
            }
            total += cov[a][a];
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(new DMatrixRMaj(cov))) throw new IllegalStateException("PCA eigen-decomposition failed");
        double[] ev = new double[d];
        for (int j = 0; j < d; j++) ev[j] = eig.getEigenvalue(j).getReal();
        Integer[] order = new Integer[d];
        for (int j = 0; j < d; j++) order[j] = j;
        java.util.Arrays.sort(order, (p, q) -> Double.compare(ev[q], ev[p]));
        double[][] comp = new double[k][];
        double[] var = new double[k];
        for (int c = 0; c < k; c++) {
            double[] v = eig.getEigenVector(order[c]).getData().clone();
            int big = 0;
            for (int j = 1; j < d; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
            if (v[big] < 0) for (int j = 0; j < d; j++) v[j] = -v[j];
            comp[c] = v;
            var[c] = Math.max(0, ev[order[c]]);
        }
        return new Pca(mu, comp, var, total);
    }

    /** Projects one row onto the components. */
    public double[] transform(double[] row) {
        double[] out = new double[components.length];
        for (int c = 0; c < components.length; c++) {
            double s = 0;
            for (int j = 0; j < row.length; j++) s += (row[j] - mean[j]) * components[c][j];
            out[c] = s;
        }
        return out;
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
