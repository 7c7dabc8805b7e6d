package org.interphase.descriptors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.interphase.descriptors.soap.GaussLegendre;
import org.interphase.descriptors.soap.GtoRadialBasis;
import org.interphase.descriptors.soap.PolynomialRadialBasis;
import org.interphase.descriptors.soap.RealSphericalHarmonics;
import org.interphase.descriptors.soap.TabulatedRadialBasis;
import org.interphase.io.Frame;
import org.interphase.neighbors.CellList;
import org.junit.jupiter.api.Test;

/** Closed-form checks of the SOAP building blocks, independent of dscribe. */
class SoapMathTest {

    @Test
    void gaussLegendreIntegratesPolynomialsExactly() {
        GaussLegendre gl = new GaussLegendre(100);
        double[] x = gl.nodes(), w = gl.weights();
        for (int k = 0; k <= 198; k += 11) {
            double sum = 0;
            for (int i = 0; i < x.length; i++) sum += w[i] * Math.pow(x[i], k);
            double exact = k % 2 == 1 ? 0.0 : 2.0 / (k + 1);
            assertEquals(exact, sum, 1e-14, "int x^" + k);
        }
    }

    /** Product rule exact for spherical polynomials of degree &lt;= 2 * 20. */
    @Test
    void sphericalHarmonicsAreOrthonormal() {
        int lMax = 20;
        RealSphericalHarmonics sh = new RealSphericalHarmonics(lMax);
        GaussLegendre gl = new GaussLegendre(lMax + 2);
        double[] zs = gl.nodes(), wz = gl.weights();
        int nPhi = 2 * lMax + 3;
        int size = sh.size();
        double[][] gram = new double[size][size];
        double[] y = new double[size];
        for (int i = 0; i < zs.length; i++) {
            double z = zs[i], s = Math.sqrt(1 - z * z);
            for (int k = 0; k < nPhi; k++) {
                double phi = 2 * Math.PI * k / nPhi;
                sh.compute(s * Math.cos(phi), s * Math.sin(phi), z, y);
                double w = wz[i] * 2 * Math.PI / nPhi;
                for (int a = 0; a < size; a++) {
                    for (int b = a; b < size; b++) gram[a][b] += w * y[a] * y[b];
                }
            }
        }
        for (int a = 0; a < size; a++) {
            for (int b = a; b < size; b++) assertEquals(a == b ? 1.0 : 0.0, gram[a][b], 1e-12, "<Y" + a + ",Y" + b + ">");
        }
    }

    /** Addition theorem: sum_m Y_lm(u) Y_lm(v) = (2l+1)/(4 pi) P_l(u.v). */
    @Test
    void additionTheorem() {
        int lMax = 12;
        RealSphericalHarmonics sh = new RealSphericalHarmonics(lMax);
        Random rnd = new Random(7);
        double[] yu = new double[sh.size()], yv = new double[sh.size()];
        for (int t = 0; t < 20; t++) {
            double[] u = unit(rnd), v = unit(rnd);
            sh.compute(u[0], u[1], u[2], yu);
            sh.compute(v[0], v[1], v[2], yv);
            double c = u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
            double p0 = 1, p1 = c;
            for (int l = 0; l <= lMax; l++) {
                double pl = l == 0 ? 1 : p1;
                if (l >= 2) {
                    double p2 = ((2 * l - 1) * c * p1 - (l - 1) * p0) / l;
                    p0 = p1;
                    p1 = p2;
                    pl = p2;
                }
                double sum = 0;
                for (int lm = l * l; lm < (l + 1) * (l + 1); lm++) sum += yu[lm] * yv[lm];
                assertEquals((2 * l + 1) / (4 * Math.PI) * pl, sum, 1e-12, "l=" + l);
            }
        }
    }

    private static double[] unit(Random rnd) {
        double[] v = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return new double[] {v[0] / n, v[1] / n, v[2] / n};
    }

    /** int_0^inf g_nl g_n'l r^2 dr = delta, with g_nl = sum_k beta_lnk r^l exp(-alpha_lk r^2). */
    @Test
    void gtoBasisIsOrthonormal() {
        GtoRadialBasis b = new GtoRadialBasis(5.0, 8, 6, 0.5);
        double[][] al = b.alphas();
        double[][][] be = b.betas();
        GaussLegendre gl = new GaussLegendre(400);
        double[] x = gl.nodes(), w = gl.weights();
        double top = 12.0;
        for (int l = 0; l <= 6; l++) {
            for (int n1 = 0; n1 < 8; n1++) {
                for (int n2 = n1; n2 < 8; n2++) {
                    double sum = 0;
                    for (int q = 0; q < x.length; q++) {
                        double r = top * 0.5 * (x[q] + 1);
                        double g1 = 0, g2 = 0;
                        for (int k = 0; k < 8; k++) {
                            double e = Math.pow(r, l) * Math.exp(-al[l][k] * r * r);
                            g1 += be[l][n1][k] * e;
                            g2 += be[l][n2][k] * e;
                        }
                        sum += top * 0.5 * w[q] * r * r * g1 * g2;
                    }
                    assertEquals(n1 == n2 ? 1.0 : 0.0, sum, 1e-7, "l=" + l + " n=" + n1 + "," + n2);
                }
            }
        }
    }

    /** int_0^r_cut g_n g_n' r^2 dr = delta for the polynomial basis (primitives (r_cut - r)^(k+2)). */
    @Test
    void polynomialBasisIsOrthonormal() {
        double rc = 5.0;
        int nMax = 6;
        PolynomialRadialBasis b = new PolynomialRadialBasis(rc, nMax, 2, 0.5);
        double[][] be = b.betas();
        GaussLegendre gl = new GaussLegendre(60);
        double[] x = gl.nodes(), w = gl.weights();
        for (int n1 = 0; n1 < nMax; n1++) {
            for (int n2 = n1; n2 < nMax; n2++) {
                double sum = 0;
                for (int q = 0; q < x.length; q++) {
                    double r = rc * 0.5 * (x[q] + 1);
                    double g1 = 0, g2 = 0;
                    for (int k = 0; k < nMax; k++) {
                        double f = Math.pow(rc - r, k + 3);
                        g1 += be[n1][k] * f;
                        g2 += be[n2][k] * f;
                    }
                    sum += rc * 0.5 * w[q] * r * r * g1 * g2;
                }
                assertEquals(n1 == n2 ? 1.0 : 0.0, sum, 1e-8, "n=" + n1 + "," + n2);
            }
        }
    }

    /** i_l(x) exp(-x) from its power series (all terms positive, so no cancellation). */
    private static double scaledBesselI(int l, double x) {
        // i_l(x) = x^l sum_k (x^2/2)^k / (k! (2l+2k+1)!!); summed in log-safe form with exp(-x) folded in.
        double term = Math.exp(-x);
        for (int j = 1; j <= l; j++) term *= x / (2 * j + 1);
        double sum = term;
        for (int k = 1; k < 2000; k++) {
            term *= (x * x / 2) / (k * (2.0 * l + 2 * k + 1));
            sum += term;
            if (term < 1e-18 * sum) break;
        }
        return sum;
    }

    /** The closed-form GTO smearing integral equals 4 pi int r'^2 g(r') e^(-eta(r'^2+r^2)) i_l(2 eta r r') dr'. */
    @Test
    void gtoSmearingIntegralMatchesQuadrature() {
        double sigma = 0.5, eta = 1 / (2 * sigma * sigma);
        int nMax = 4, lMax = 5;
        GtoRadialBasis b = new GtoRadialBasis(5.0, nMax, lMax, sigma);
        double[][] al = b.alphas();
        double[][][] be = b.betas();
        GaussLegendre gl = new GaussLegendre(300);
        double[] x = gl.nodes(), w = gl.weights();
        double top = 14.0;
        double[] got = new double[(lMax + 1) * nMax];
        for (double r : new double[] {0.7, 1.9, 3.3, 5.2, 6.5}) {
            b.evaluate(r, got);
            for (int l = 0; l <= lMax; l++) {
                for (int n = 0; n < nMax; n++) {
                    double sum = 0;
                    for (int q = 0; q < x.length; q++) {
                        double rp = top * 0.5 * (x[q] + 1);
                        double g = 0;
                        for (int k = 0; k < nMax; k++) g += be[l][n][k] * Math.pow(rp, l) * Math.exp(-al[l][k] * rp * rp);
                        double xx = 2 * eta * r * rp;
                        // e^(-eta (r'^2 + r^2)) i_l(x) = e^(-eta (r' - r)^2) * [e^(-x) i_l(x)]
                        sum += top * 0.5 * w[q] * rp * rp * g * Math.exp(-eta * (rp - r) * (rp - r)) * scaledBesselI(l, xx);
                    }
                    double expect = 4 * Math.PI * sum;
                    assertEquals(expect, got[l * nMax + n], 1e-9 * Math.max(1.0, Math.abs(expect)), "r=" + r + " l=" + l + " n=" + n);
                }
            }
        }
    }

    @Test
    void tableReproducesGtoBasis() {
        GtoRadialBasis exact = new GtoRadialBasis(5.0, 8, 6, 0.5);
        TabulatedRadialBasis t = new TabulatedRadialBasis(exact, 0.0, 6.9, 1e-10, 4);
        assertTrue(t.achievedError() <= 1e-10, "table error " + t.achievedError());
        Random rnd = new Random(3);
        double[] a = new double[56], b = new double[56];
        for (int i = 0; i < 2000; i++) {
            double r = 6.86 * rnd.nextDouble();
            exact.evaluate(r, a);
            t.evaluate(r, b);
            for (int q = 0; q < 56; q++) assertEquals(a[q], b[q], 1e-9, "r=" + r + " q=" + q);
        }
    }

    /** Rotating a non-periodic cluster leaves the power spectrum unchanged. */
    @Test
    void rotationInvariance() {
        Frame f = SoapFixtures.structure("cluster_lipscl");
        Soap soap = new Soap(SoapParameters.of(5.0, 6, 8, 0.5, "gto", List.of("Li", "P", "S", "Cl")));
        double[] ref = soap.computeAll(f, new int[] {0, 7, 15}, 1);
        // rotation about a generic axis, around the cluster's centre
        double ang = 1.1, ux = 0.48, uy = -0.6, uz = 0.64;
        double n = Math.sqrt(ux * ux + uy * uy + uz * uz);
        ux /= n;
        uy /= n;
        uz /= n;
        double c = Math.cos(ang), s = Math.sin(ang), t = 1 - c;
        double[][] rot = {{t * ux * ux + c, t * ux * uy - s * uz, t * ux * uz + s * uy},
            {t * ux * uy + s * uz, t * uy * uy + c, t * uy * uz - s * ux},
            {t * ux * uz - s * uy, t * uy * uz + s * ux, t * uz * uz + c}};
        double[] p = f.positions().clone();
        double[] box = f.box().h();
        double cx = box[0] / 2, cy = box[4] / 2, cz = box[8] / 2;
        for (int i = 0; i < f.size(); i++) {
            double x = p[3 * i] - cx, y = p[3 * i + 1] - cy, z = p[3 * i + 2] - cz;
            p[3 * i] = rot[0][0] * x + rot[0][1] * y + rot[0][2] * z + cx;
            p[3 * i + 1] = rot[1][0] * x + rot[1][1] * y + rot[1][2] * z + cy;
            p[3 * i + 2] = rot[2][0] * x + rot[2][1] * y + rot[2][2] * z + cz;
        }
        Frame g = new Frame(0, 0, f.box(), p, f.types(), f.elements());
        double[] got = soap.computeAll(g, new int[] {0, 7, 15}, 1);
        double max = Arrays.stream(ref).map(Math::abs).max().orElse(1);
        for (int i = 0; i < ref.length; i++) assertEquals(ref[i], got[i], 1e-10 * max, "feature " + i);
    }

    @Test
    void featureIndexIsABijectionInDscribeOrder() {
        Soap soap = new Soap(SoapParameters.of(4.0, 3, 2, 0.5, "gto", List.of("Li", "P", "S")));
        String[] names = soap.labels();
        assertEquals(soap.dimension(), names.length);
        assertEquals(3 * 3 * 4 / 2 * 3 + 3 * 9 * 3, soap.dimension());
        assertTrue(Arrays.stream(names).allMatch(s -> s != null), "every index is produced once");
        assertEquals(names.length, Arrays.stream(names).distinct().count());
        // dscribe order: pair (Li,Li) first with l outermost, then n <= n'
        assertEquals("Li-Li_l0_n0_n0", names[0]);
        assertEquals("Li-Li_l0_n0_n1", names[1]);
        assertEquals("Li-Li_l1_n0_n0", names[6]);
        assertEquals("Li-P_l0_n0_n0", names[18]);
        assertEquals("Li-P_l0_n1_n0", names[21]);
        assertEquals("S-S_l2_n2_n2", names[names.length - 1]);
    }

    /** Gaussian decay threshold and padding as in dscribe: r_cut + sigma sqrt(-2 ln 1e-3). */
    @Test
    void paddedCutoff() {
        SoapParameters p = SoapParameters.of(5.0, 8, 6, 0.5, "gto", List.of("Li"));
        assertEquals(5.0 + 0.5 * Math.sqrt(-2 * Math.log(1e-3)), new Soap(p).cutoff(), 1e-15);
        Frame f = SoapFixtures.structure("li_bcc_rattled");
        CellList cells = new CellList(f.box(), f.positions(), p.neighbourCutoff());
        assertTrue(cells.cutoff() >= p.neighbourCutoff());
    }
}
