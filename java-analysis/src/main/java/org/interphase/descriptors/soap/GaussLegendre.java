package org.interphase.descriptors.soap;

/** Gauss-Legendre quadrature nodes and weights on [-1, 1], by Newton iteration on P_n. */
public final class GaussLegendre {
    private final double[] nodes;
    private final double[] weights;

    /** Rule with {@code n} points (ascending nodes). */
    public GaussLegendre(int n) {
        if (n < 1) throw new IllegalArgumentException("need at least one quadrature point");
        nodes = new double[n];
        weights = new double[n];
        for (int i = 0; i < (n + 1) / 2; i++) {
            // Tricomi's initial guess for the i-th largest root, then Newton.
            double x = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 1.0;
            for (int iter = 0; iter < 100; iter++) {
                double p0 = 1.0, p1 = x;
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                double pn = n == 1 ? x : p1;
                double pnm1 = n == 1 ? 1.0 : p0;
                dp = n * (x * pn - pnm1) / (x * x - 1.0);
                double dx = pn / dp;
                x -= dx;
                if (Math.abs(dx) < 1e-16) {
                    // one more evaluation of the derivative at the converged root
                    p0 = 1.0;
                    p1 = x;
                    for (int k = 2; k <= n; k++) {
                        double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                        p0 = p1;
                        p1 = p2;
                    }
                    pn = n == 1 ? x : p1;
                    pnm1 = n == 1 ? 1.0 : p0;
                    dp = n * (x * pn - pnm1) / (x * x - 1.0);
                    break;
                }
            }
            double w = 2.0 / ((1.0 - x * x) * dp * dp);
            nodes[n - 1 - i] = x;
            nodes[i] = -x;
            weights[i] = w;
            weights[n - 1 - i] = w;
        }
        if (n % 2 == 1) nodes[n / 2] = 0.0;
    }

    /** Nodes in ascending order (copy). */
    public double[] nodes() {
        return nodes.clone();
    }

    /** Weights matching {@link #nodes()} (copy). */
    public double[] weights() {
        return weights.clone();
    }
}
