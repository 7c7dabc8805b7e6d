package org.interphase.descriptors.soap;

/**
 * A radial basis tabulated on a uniform grid and interpolated with 6-point (quintic) Lagrange
 * polynomials, so the per-neighbour cost is 6 multiply-adds per (n, l) instead of exponentials and
 * quadratures. The grid spacing starts at 0.01 A and is halved (at most {@code maxHalvings} times) until
 * the interpolation error at every interval midpoint in [rMin, rMax] is below {@code tolerance} times the
 * largest |R_nl| of that function; {@link #achievedError()} reports what was reached. Distances below
 * {@code rMin} (and atoms on the centre) use the exact basis: dscribe's polynomial integrals are not
 * smooth there (round-off of its upward Bessel recurrence), and real neighbours are rarely that close.
 */
public final class TabulatedRadialBasis extends SizedRadialBasis {
    private static final int STENCIL = 6;

    private final RadialBasis exact;
    private final int width;     // (lMax+1) * nMax values per node
    private final double h;
    private final double invH;
    private final int nodes;
    private final double rMax;
    private final double rMin;
    private final double[] table; // [node][l*nMax+n]
    private final double achievedError;

    /**
     * Tabulates {@code exact} on [0, rMax].
     *
     * @param exact       the basis to tabulate
     * @param rMin        below this distance (A) the exact basis is evaluated
     * @param rMax        largest distance that will be evaluated (A)
     * @param tolerance   target interpolation error relative to each function's maximum
     * @param maxHalvings how often the 0.01 A spacing may be halved to reach the tolerance
     */
    public TabulatedRadialBasis(RadialBasis exact, double rMin, double rMax, double tolerance, int maxHalvings) {
        super(exact.nMax(), exact.lMax());
        if (!(rMax > 0) || !Double.isFinite(rMax)) throw new IllegalArgumentException("rMax must be positive");
        if (!(rMin >= 0) || !(rMin < rMax)) throw new IllegalArgumentException("need 0 <= rMin < rMax");
        this.rMin = rMin;
        this.exact = exact;
        this.width = (lMax + 1) * nMax;
        this.rMax = rMax;
        double step = 0.01;
        double[] t;
        int count;
        double err;
        int halvings = 0;
        while (true) {
            count = (int) Math.ceil(rMax / step) + STENCIL;
            t = build(exact, step, count, width);
            err = validate(exact, t, step, count, width, rMin, rMax);
            if (err <= tolerance || halvings >= maxHalvings) break;
            step *= 0.5;
            halvings++;
        }
        this.h = step;
        this.invH = 1.0 / step;
        this.nodes = count;
        this.table = t;
        this.achievedError = err;
    }

    private static double[] build(RadialBasis exact, double step, int count, int width) {
        double[] t = new double[count * width];
        double[] row = new double[width];
        for (int k = 0; k < count; k++) {
            exact.evaluate(k * step, row);
            System.arraycopy(row, 0, t, k * width, width);
        }
        return t;
    }

    private static double validate(RadialBasis exact, double[] t, double step, int count, int width, double rMin, double rMax) {
        double[] max = new double[width];
        for (int k = 0; k < count; k++) {
            for (int q = 0; q < width; q++) max[q] = Math.max(max[q], Math.abs(t[k * width + q]));
        }
        double[] ref = new double[width];
        double[] got = new double[width];
        double worst = 0.0;
        for (int k = 0; (k + 0.5) * step <= rMax; k++) {
            double r = (k + 0.5) * step;
            if (r < rMin) continue;
            exact.evaluate(r, ref);
            interpolate(t, step, 1.0 / step, count, width, r, got);
            for (int q = 0; q < width; q++) {
                if (max[q] > 0) worst = Math.max(worst, Math.abs(got[q] - ref[q]) / max[q]);
            }
        }
        return worst;
    }

    private static void interpolate(double[] t, double step, double invH, int count, int width, double r, double[] out) {
        double x = r * invH;
        int i0 = (int) x - 2;
        if (i0 < 0) i0 = 0;
        if (i0 > count - STENCIL) i0 = count - STENCIL;
        double s = x - i0;
        double d0 = s, d1 = s - 1, d2 = s - 2, d3 = s - 3, d4 = s - 4, d5 = s - 5;
        // Lagrange basis on nodes 0..5: L_j(s) = prod_{m != j} (s - m) / (j - m)
        double p01 = d0 * d1, p23 = d2 * d3, p45 = d4 * d5;
        double w0 = d1 * p23 * p45 / -120.0;
        double w1 = d0 * p23 * p45 / 24.0;
        double w2 = p01 * d3 * p45 / -12.0;
        double w3 = p01 * d2 * p45 / 12.0;
        double w4 = p01 * p23 * d5 / -24.0;
        double w5 = p01 * p23 * d4 / 120.0;
        int b = i0 * width;
        for (int q = 0; q < width; q++) {
            out[q] = w0 * t[b + q] + w1 * t[b + width + q] + w2 * t[b + 2 * width + q]
                    + w3 * t[b + 3 * width + q] + w4 * t[b + 4 * width + q] + w5 * t[b + 5 * width + q];
        }
    }

    /** Grid spacing in A. */
    public double spacing() {
        return h;
    }

    /** Largest interpolation error found at the interval midpoints, relative to each function's maximum. */
    public double achievedError() {
        return achievedError;
    }

    /** Table size in bytes. */
    public long bytes() {
        return 8L * table.length;
    }

    /**
     * Interpolated R_nl(r). Below rMin (including atoms on the centre) the exact basis is used; r &gt; rMax
     * is extrapolated from the last nodes and should not be requested.
     */
    @Override
    public void evaluate(double r, double[] out) {
        if (r < rMin || r * r <= 1e-12) {
            exact.evaluate(r, out);
            return;
        }
        interpolate(table, h, invH, nodes, width, r, out);
    }

    /** Largest tabulated distance. */
    public double rMax() {
        return rMax;
    }
}
