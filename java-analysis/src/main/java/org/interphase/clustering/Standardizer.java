package org.interphase.clustering;

/** Per-feature standardisation z = (x - mean)/std (population std; features with std &lt; 1e-12 keep scale 1). */
public record Standardizer(double[] mean, double[] scale) {

    /** Fits mean and std on rows of x. */
    public static Standardizer fit(double[][] x) {
        int n = x.length, d = x[0].length;
        double[] mu = new double[d], sd = new double[d];
        for (double[] r : x) for (int k = 0; k < d; k++) mu[k] += r[k];
        for (int k = 0; k < d; k++) mu[k] /= n;
        for (double[] r : x) for (int k = 0; k < d; k++) sd[k] += (r[k] - mu[k]) * (r[k] - mu[k]);
        for (int k = 0; k < d; k++) {
            sd[k] = Math.sqrt(sd[k] / n);
            if (sd[k] < 1e-12) sd[k] = 1.0;
        }
        return new Standardizer(mu, sd);
    }

    /** Standardised copy of one row. */
    public double[] apply(double[] row) {
        double[] z = new double[row.length];
        for (int k = 0; k < row.length; k++) z[k] = (row[k] - mean[k]) / scale[k];
        return z;
    }

    /** Standardised copy of all rows. */
    public double[][] apply(double[][] x) {
        double[][] z = new double[x.length][];
        for (int i = 0; i < x.length; i++) z[i] = apply(x[i]);
        return z;
    }
}
