package org.interphase.descriptors.soap;

/**
 * dscribe's "polynomial" radial basis, integrated numerically exactly the way dscribe 2.1 does.
 *
 * <p>Definition ({@code SOAP.get_basis_poly} and the C++ {@code soapGeneral}): primitives
 * (r_cut - r)^(k+2), k = 1..n_max, on [0, r_cut], orthonormalised with weight r^2 (Loewdin,
 * S_kk' = 2 r_cut^(7+k+k') / ((5+k+k')(6+k+k')(7+k+k')), beta = S^(-1/2)). The radial integral
 * R_nl(r_j) = 4 pi int_0^r_cut r^2 g_n(r) exp(-eta (r^2 + r_j^2)) i_l(2 eta r r_j) dr is done with the
 * 100-point Gauss-Legendre rule mapped to [0, r_cut] (r = r_cut (x + 1) / 2). dscribe evaluates
 * exp(-eta(r^2+r_j^2)) i_l(2 eta r r_j) as F_0 = (e_- - e_+)/(4 eta r r_j),
 * F_1 = (e_- + e_+ - 2 F_0)/(4 eta r r_j), F_l = F_(l-2) - (2l-1)/(2 eta r r_j) F_(l-1) (upward
 * recurrence, with negative F_l for l &gt;= 2 set to 0), where e_-+ = exp(-eta (r -+ r_j)^2) and each is
 * set to 0 when r -+ r_j &gt; 5 A. Those numerical details change values at the 1e-6 level for wide
 * Gaussians (sigma ~ 1 A), so they are reproduced here. An atom within 1e-6 A of the centre contributes
 * only to l = 0, with F_0 = exp(-eta r^2).
 */
public final class PolynomialRadialBasis extends SizedRadialBasis {
    /** Number of quadrature points dscribe uses. */
    public static final int QUADRATURE_POINTS = 100;
    /** dscribe drops exp(-eta (r -+ r_j)^2) when r -+ r_j exceeds this (Angstrom). */
    public static final double EXP_TRUNCATION = 5.0;

    private final double eta;
    private final double[] grid;      // r_w
    private final double[] invGrid;   // 1 / r_w
    private final double[][] weighted; // [n][w] 4 pi (r_cut/2) w_w r_w^2 g_n(r_w)
    private final double[][] betas;
    private final ThreadLocal<double[][]> scratch;

    /**
     * Builds the basis.
     *
     * @throws IllegalArgumentException if the basis cannot be orthonormalised
     */
    public PolynomialRadialBasis(double rCut, int nMax, int lMax, double sigma) {
        super(nMax, lMax);
        if (!(rCut > 0) || nMax < 1 || lMax < 0 || !(sigma > 0)) {
            throw new IllegalArgumentException("need r_cut > 0, n_max >= 1, l_max >= 0, sigma > 0");
        }
        this.eta = 1.0 / (2.0 * sigma * sigma);
        double[][] s = new double[nMax][nMax];
        for (int i = 1; i <= nMax; i++) {
            for (int j = 1; j <= nMax; j++) {
                int p = i + j;
                s[i - 1][j - 1] = 2.0 * Math.pow(rCut, 7 + p) / ((5.0 + p) * (6.0 + p) * (7.0 + p));
            }
        }
        betas = SymmetricMatrices.inverseSqrt(s, "polynomial radial basis (n_max=" + nMax + ", r_cut=" + rCut + ")",
                "lower n_max or increase r_cut");
        scratch = ThreadLocal.withInitial(() -> new double[6][QUADRATURE_POINTS]);
        GaussLegendre gl = new GaussLegendre(QUADRATURE_POINTS);
        double[] x = gl.nodes();
        double[] w = gl.weights();
        grid = new double[QUADRATURE_POINTS];
        invGrid = new double[QUADRATURE_POINTS];
        weighted = new double[nMax][QUADRATURE_POINTS];
        for (int q = 0; q < QUADRATURE_POINTS; q++) {
            double r = rCut * 0.5 * (x[q] + 1.0);
            grid[q] = r;
            invGrid[q] = 1.0 / r;
            double base = rCut - Math.min(Math.max(r, 0.0), rCut);
            for (int n = 0; n < nMax; n++) {
                double g = 0.0;
                for (int k = 0; k < nMax; k++) g += betas[n][k] * Math.pow(base, k + 3);
                weighted[n][q] = 4.0 * Math.PI * 0.5 * rCut * w[q] * r * r * g;
            }
        }
    }

    /** beta_nk (copy). */
    public double[][] betas() {
        double[][] c = new double[nMax][];
        for (int n = 0; n < nMax; n++) c[n] = betas[n].clone();
        return c;
    }

    @Override
    public void evaluate(double rj, double[] out) {
        int nw = QUADRATURE_POINTS;
        if (rj * rj <= 1e-12) {
            for (int n = 0; n < nMax; n++) {
                double sum = 0.0;
                for (int q = 0; q < nw; q++) sum += weighted[n][q] * Math.exp(-eta * grid[q] * grid[q]);
                out[n] = sum;
            }
            for (int i = nMax; i < (lMax + 1) * nMax; i++) out[i] = 0.0;
            return;
        }
        double[][] work = scratch.get(); // per-thread, so evaluate() allocates nothing
        double[] fPrev2 = work[0];
        double[] fPrev = work[1];
        double[] f = work[2];
        double[] o = work[3];
        double[] em = work[4];
        double[] ep = work[5];
        double o4 = 0.25 * (1.0 / eta) * (1.0 / rj);
        for (int q = 0; q < nw; q++) {
            double r = grid[q];
            double dm = r - rj;
            double dp = r + rj;
            em[q] = dm > EXP_TRUNCATION ? 0.0 : Math.exp(-eta * dm * dm);
            ep[q] = dp > EXP_TRUNCATION ? 0.0 : Math.exp(-eta * dp * dp);
            o[q] = o4 * invGrid[q];
        }
        for (int l = 0; l <= lMax; l++) {
            for (int q = 0; q < nw; q++) {
                double v;
                if (l == 0) {
                    v = o[q] * (em[q] - ep[q]);
                } else if (l == 1) {
                    v = o[q] * (em[q] + ep[q] - 2.0 * fPrev[q]);
                } else {
                    v = fPrev2[q] - o[q] * (4 * l - 2) * fPrev[q];
                    if (v < 0) v = 0.0;
                }
                f[q] = v;
            }
            for (int n = 0; n < nMax; n++) {
                double sum = 0.0;
                double[] wn = weighted[n];
                for (int q = 0; q < nw; q++) sum += wn[q] * f[q];
                out[l * nMax + n] = sum;
            }
            double[] t = fPrev2;
            fPrev2 = fPrev;
            fPrev = f;
            f = t;
        }
    }
}
