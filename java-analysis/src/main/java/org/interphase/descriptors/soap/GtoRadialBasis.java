package org.interphase.descriptors.soap;

/**
 * dscribe's "gto" radial basis, integrated analytically.
 *
 * <p>Definition (dscribe 2.1, {@code SOAP.get_basis_gto} and the C++ {@code soapGTO}): for each l the
 * primitive functions are r^l exp(-alpha_lk r^2), k = 1..n_max, with decay points a_k evenly spaced
 * from 1 A to r_cut ({@code linspace(1, r_cut, n_max)}) and alpha_lk = -ln(1e-3 / a_k^l) / a_k^2, so
 * that each primitive has decayed to 1e-3 at a_k. They are orthonormalised on [0, inf) with weight r^2
 * (Loewdin): overlap S_kk' = Gamma(l + 3/2) / (2 (alpha_k + alpha_k')^(l + 3/2)), g_nl = sum_k
 * beta_lnk r^l exp(-alpha_lk r^2) with beta = S^(-1/2).
 *
 * <p>With the Gaussian exp(-eta |x - r_j|^2) the radial integral is closed-form:
 * 4 pi int_0^inf r'^(l+2) e^(-alpha r'^2) e^(-eta(r'^2+r^2)) i_l(2 eta r r') dr'
 * = pi^(3/2) eta^l / (alpha + eta)^(l + 3/2) * r^l * exp(-alpha eta r^2 / (alpha + eta)),
 * from int_0^inf x^(nu+1) e^(-a x^2) I_nu(b x) dx = b^nu / (2a)^(nu+1) e^(b^2/(4a)) with nu = l + 1/2.
 */
public final class GtoRadialBasis extends SizedRadialBasis {
    /** The decay threshold dscribe uses to place the GTO exponents. */
    public static final double DECAY_THRESHOLD = 1e-3;

    private final double[][] alphas;     // [l][k]
    private final double[][][] betas;    // [l][n][k]
    private final double[][] exponents;  // [l][k]: -alpha eta / (alpha + eta)
    private final double[][][] prefactors; // [l][n][k]: beta * pi^1.5 eta^l / (alpha + eta)^(l + 1.5)
    private final ThreadLocal<double[]> scratch;

    /**
     * Builds the basis.
     *
     * @throws IllegalArgumentException if r_cut &lt;= 1 A or the basis cannot be orthonormalised
     */
    public GtoRadialBasis(double rCut, int nMax, int lMax, double sigma) {
        super(nMax, lMax);
        if (!(rCut > 1.0)) {
            throw new IllegalArgumentException("r_cut " + rCut + " A is too small for the gto radial basis: it must be larger than 1 A");
        }
        if (nMax < 1 || lMax < 0 || !(sigma > 0)) throw new IllegalArgumentException("need n_max >= 1, l_max >= 0, sigma > 0");
        this.scratch = ThreadLocal.withInitial(() -> new double[nMax]);
        double eta = 1.0 / (2.0 * sigma * sigma);
        double[] a = new double[nMax];
        for (int k = 0; k < nMax; k++) a[k] = nMax == 1 ? 1.0 : 1.0 + (rCut - 1.0) * k / (nMax - 1);
        alphas = new double[lMax + 1][nMax];
        betas = new double[lMax + 1][][];
        exponents = new double[lMax + 1][nMax];
        prefactors = new double[lMax + 1][nMax][nMax];
        for (int l = 0; l <= lMax; l++) {
            for (int k = 0; k < nMax; k++) {
                alphas[l][k] = -Math.log(DECAY_THRESHOLD / Math.pow(a[k], l)) / (a[k] * a[k]);
            }
            double g = gammaHalfInteger(l);
            double[][] s = new double[nMax][nMax];
            for (int i = 0; i < nMax; i++) {
                for (int j = 0; j < nMax; j++) s[i][j] = 0.5 * g * Math.pow(alphas[l][i] + alphas[l][j], -l - 1.5);
            }
            betas[l] = SymmetricMatrices.inverseSqrt(s, "gto radial basis (l=" + l + ", n_max=" + nMax + ", r_cut=" + rCut + ")",
                    "lower n_max or increase r_cut");
            for (int k = 0; k < nMax; k++) {
                double al = alphas[l][k];
                exponents[l][k] = -al * eta / (al + eta);
                double pre = Math.pow(Math.PI, 1.5) * Math.pow(eta, l) / Math.pow(al + eta, l + 1.5);
                for (int n = 0; n < nMax; n++) prefactors[l][n][k] = betas[l][n][k] * pre;
            }
        }
    }

    /** Gamma(l + 3/2) = (2l+1)!! sqrt(pi) / 2^(l+1). */
    static double gammaHalfInteger(int l) {
        double g = Math.sqrt(Math.PI) / 2.0; // Gamma(3/2)
        for (int i = 1; i <= l; i++) g *= i + 0.5;
        return g;
    }

    /** alpha_lk (copy). */
    public double[][] alphas() {
        double[][] c = new double[alphas.length][];
        for (int i = 0; i < c.length; i++) c[i] = alphas[i].clone();
        return c;
    }

    /** beta_lnk (copy). */
    public double[][][] betas() {
        double[][][] c = new double[betas.length][nMax][];
        for (int l = 0; l < c.length; l++) {
            for (int n = 0; n < nMax; n++) c[l][n] = betas[l][n].clone();
        }
        return c;
    }

    @Override
    public void evaluate(double r, double[] out) {
        double r2 = r * r;
        boolean centre = r2 <= 1e-12;
        double rl = 1.0;
        double[] e = scratch.get();
        for (int l = 0; l <= lMax; l++) {
            if (centre && l > 0) {
                for (int n = 0; n < nMax; n++) out[l * nMax + n] = 0.0;
                continue;
            }
            for (int k = 0; k < nMax; k++) e[k] = Math.exp(exponents[l][k] * r2);
            for (int n = 0; n < nMax; n++) {
                double sum = 0.0;
                double[] p = prefactors[l][n];
                for (int k = 0; k < nMax; k++) sum += p[k] * e[k];
                out[l * nMax + n] = rl * sum;
            }
            rl *= r;
        }
    }
}
