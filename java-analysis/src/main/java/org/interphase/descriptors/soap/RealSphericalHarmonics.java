package org.interphase.descriptors.soap;

/**
 * Real orthonormal spherical harmonics Y_lm(u), l = 0..l_max, of a unit vector u = (x, y, z).
 *
 * <p>Layout: index l*l + l + m for m = -l..l. Convention: Y_l0 = Pbar_l^0(z),
 * Y_l,m = sqrt(2) Pbar_l^m(z) Re((x + i y)^m) and Y_l,-m = sqrt(2) Pbar_l^m(z) Im((x + i y)^m) for m &gt; 0,
 * where Pbar_l^m(z) sin^m(theta) is the orthonormalised associated Legendre function (no Condon-Shortley
 * phase), so that sum over the sphere of Y_lm Y_l'm' is delta_ll' delta_mm'. Any real orthonormal basis
 * gives the same SOAP power spectrum (it only enters through sum_m c_nlm c_n'lm), which is why this
 * matches dscribe's tesseral harmonics. Pbar uses the stable recurrences
 * Pbar_m^m = sqrt((2m+1)/(2m)) Pbar_(m-1)^(m-1), Pbar_(m+1)^m = sqrt(2m+3) z Pbar_m^m and
 * Pbar_l^m = a_lm z Pbar_(l-1)^m - b_lm Pbar_(l-2)^m with a_lm = sqrt((4l^2-1)/(l^2-m^2)),
 * b_lm = sqrt(((l-1)^2-m^2)(2l+1)/((2l-3)(l^2-m^2))); the (x + i y)^m factors avoid trigonometric calls.
 */
public final class RealSphericalHarmonics {
    private final int lMax;
    private final double[] a;   // [l*(lMax+1)+m]
    private final double[] b;
    private final double[] diag; // Pbar_m^m / Pbar_(m-1)^(m-1) factors, diag[0] = Y_00
    private final double[] first; // sqrt(2m+3)

    /** Harmonics up to degree {@code lMax}. */
    public RealSphericalHarmonics(int lMax) {
        if (lMax < 0) throw new IllegalArgumentException("l_max must be >= 0");
        this.lMax = lMax;
        int s = lMax + 1;
        a = new double[s * s];
        b = new double[s * s];
        diag = new double[s];
        first = new double[s];
        for (int m = 0; m <= lMax; m++) first[m] = Math.sqrt(2.0 * m + 3.0);
        diag[0] = Math.sqrt(1.0 / (4.0 * Math.PI));
        for (int m = 1; m <= lMax; m++) diag[m] = Math.sqrt((2.0 * m + 1.0) / (2.0 * m));
        for (int m = 0; m <= lMax; m++) {
            for (int l = m + 2; l <= lMax; l++) {
                double l2m2 = (double) l * l - (double) m * m;
                a[l * s + m] = Math.sqrt((4.0 * l * l - 1.0) / l2m2);
                b[l * s + m] = Math.sqrt((((l - 1.0) * (l - 1.0)) - (double) m * m) * (2.0 * l + 1.0) / ((2.0 * l - 3.0) * l2m2));
            }
        }
    }

    /** Largest degree. */
    public int lMax() {
        return lMax;
    }

    /** Number of values written by {@link #compute}: (l_max+1)^2. */
    public int size() {
        return (lMax + 1) * (lMax + 1);
    }

    /** Writes Y_lm(x, y, z) for a UNIT vector into out[l*l + l + m]. No allocation. */
    public void compute(double x, double y, double z, double[] out) {
        int s = lMax + 1;
        final double sqrt2 = 1.4142135623730951;
        double pmm = diag[0];
        double cm = 1.0, sm = 0.0; // Re, Im of (x + i y)^m
        for (int m = 0; m <= lMax; m++) {
            if (m > 0) {
                pmm *= diag[m];
                double c = x * cm - y * sm;
                sm = x * sm + y * cm;
                cm = c;
            }
            double fc = m == 0 ? 1.0 : sqrt2 * cm;
            double fs = sqrt2 * sm;
            // l = m
            double p2 = pmm;
            store(out, m, m, p2, fc, fs);
            if (m == lMax) break;
            double p1 = first[m] * z * pmm;
            store(out, m + 1, m, p1, fc, fs);
            for (int l = m + 2; l <= lMax; l++) {
                double p = a[l * s + m] * z * p1 - b[l * s + m] * p2;
                store(out, l, m, p, fc, fs);
                p2 = p1;
                p1 = p;
            }
        }
    }

    private static void store(double[] out, int l, int m, double p, double fc, double fs) {
        int centre = l * l + l;
        if (m == 0) {
            out[centre] = p;
        } else {
            out[centre + m] = p * fc;
            out[centre - m] = p * fs;
        }
    }
}
