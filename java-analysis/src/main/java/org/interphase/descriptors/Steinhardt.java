package org.interphase.descriptors;

import java.util.Arrays;
import org.interphase.io.Frame;
import org.interphase.neighbors.CellList;

/**
 * Per-atom Steinhardt bond-orientational order parameters (Steinhardt, Nelson, Ronchetti, Phys. Rev. B 28, 784
 * (1983)): q_lm(i) = (1/N_b) sum_j Y_lm(r_ij), q_l(i) = sqrt(4 pi/(2l+1) sum_m |q_lm(i)|^2), over all neighbours
 * j (any element) closer than the cutoff. An atom without neighbours gets q_l = 0.
 *
 * <p>Optionally smooth: with rOn &lt; rCut each neighbour is weighted by the switching function of
 * {@link CoordinationNumbers} (1 below rOn, cosine to 0 at rCut) and q_lm = sum_j w_j Y_lm / sum_j w_j, so q_l does
 * not jump when a neighbour crosses the cutoff. With rOn == rCut this is exactly the standard definition.
 */
public final class Steinhardt implements Descriptor {
    private final int[] ls;
    private final double rCut;
    private final double rOn;
    private final int lmax;
    private final double[][] norm; // norm[l][m] = sqrt((2l+1)/(4pi) (l-m)!/(l+m)!)
    private final DescriptorLayout layout;

    /** Order parameters for the given l values (e.g. 4, 6) with a hard cutoff rCut (Angstrom): the standard definition. */
    public Steinhardt(int[] ls, double rCut) {
        this(ls, rCut, rCut);
    }

    /** Smoothly weighted order parameters (see class comment); rOn == rCut gives the standard definition. */
    public Steinhardt(int[] ls, double rOn, double rCut) {
        CoordinationNumbers.checkCutoffs("Steinhardt", rOn, rCut);
        this.ls = ls.clone();
        this.rCut = rCut;
        this.rOn = rOn;
        int mx = 0;
        for (int l : ls) {
            if (l < 0 || l > 16) throw new IllegalArgumentException("Steinhardt l must be in 0..16, got " + l);
            mx = Math.max(mx, l);
        }
        this.lmax = mx;
        norm = new double[lmax + 1][];
        for (int l = 0; l <= lmax; l++) {
            norm[l] = new double[l + 1];
            for (int m = 0; m <= l; m++) {
                double ratio = 1.0; // (l-m)!/(l+m)!
                for (int k = l - m + 1; k <= l + m; k++) ratio /= k;
                norm[l][m] = Math.sqrt((2 * l + 1) / (4 * Math.PI) * ratio);
            }
        }
        this.layout = new DescriptorLayout("steinhardt", Arrays.stream(ls).mapToObj(l -> "q" + l).toList(), FeatureGroup.CHEAP, rCut);
    }

    /** Features "q4" etc., cutoff rCut. */
    @Override
    public DescriptorLayout layout() {
        return layout;
    }

    /** Associated Legendre P_l^m(x) for all l <= lmax, m <= l (no Condon-Shortley phase), into p[l][m]. */
    private void legendre(double x, double[][] p) {
        double s = Math.sqrt(Math.max(0.0, 1 - x * x));
        p[0][0] = 1.0;
        for (int m = 1; m <= lmax; m++) p[m][m] = p[m - 1][m - 1] * (2 * m - 1) * s;
        for (int m = 0; m < lmax; m++) p[m + 1][m] = x * (2 * m + 1) * p[m][m];
        for (int m = 0; m <= lmax; m++) {
            for (int l = m + 2; l <= lmax; l++) {
                p[l][m] = ((2 * l - 1) * x * p[l - 1][m] - (l + m - 1) * p[l - 2][m]) / (l - m);
            }
        }
    }

    @Override
    public void compute(Frame frame, CellList cells, int centre, double[] out, int offset) {
        double[][] re = new double[lmax + 1][lmax + 1];
        double[][] im = new double[lmax + 1][lmax + 1];
        double[][] p = new double[lmax + 1][lmax + 1];
        double[] count = new double[1];
        double rc2 = rCut * rCut;
        cells.forEachNeighbor(centre, (j, dx, dy, dz, r2) -> {
            if (r2 >= rc2 || r2 == 0) return;
            double r = Math.sqrt(r2);
            double w = CoordinationNumbers.switching(r, rOn, rCut);
            if (w == 0) return;
            legendre(dz / r, p);
            double phi = Math.atan2(dy, dx);
            for (int l : ls) {
                for (int m = 0; m <= l; m++) {
                    double y = w * norm[l][m] * p[l][m];
                    re[l][m] += y * Math.cos(m * phi);
                    im[l][m] += y * Math.sin(m * phi);
                }
            }
            count[0] += w;
        });
        for (int k = 0; k < ls.length; k++) {
            int l = ls[k];
            if (count[0] == 0) {
                out[offset + k] = 0.0;
                continue;
            }
            double sum = 0;
            for (int m = 0; m <= l; m++) {
                double a = re[l][m] / count[0], b = im[l][m] / count[0];
                sum += (m == 0 ? 1 : 2) * (a * a + b * b);
            }
            out[offset + k] = Math.sqrt(4 * Math.PI / (2 * l + 1) * sum);
        }
    }
}
