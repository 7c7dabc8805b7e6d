package org.interphase.descriptors;

import java.util.Arrays;
import java.util.List;
import org.interphase.io.Frame;
import org.interphase.neighbors.CellList;

/**
 * A species-agnostic, scale-free geometric descriptor of an atom's first coordination shell: which structure type
 * and site an environment resembles when element identities are ignored. The shell is found by the parameter-free
 * solid-angle based nearest-neighbour rule SANN (van Meel, Filion, Valeriani and Frenkel, J. Chem. Phys. 136,
 * 234107 (2012)): with neighbours sorted by distance r_1 &lt;= r_2 &lt;= ..., the shell is the first m &gt;= 3
 * neighbours for the smallest m with R_m = (sum_{j&lt;=m} r_j) / (m - 2) &lt; r_{m+1}. Features: m, and the
 * Steinhardt q4, q6 of the shell (unweighted). Elements and the absolute length scale do not enter, so a Cl on an
 * antifluorite anion site looks like the S it replaced (a cube of 8; m = 8, q4 = 0.509, q6 = 0.629) and bcc is
 * m = 14. When the rule does not close within the cutoff every neighbour inside it is the shell.
 */
public final class SannGeometry implements Descriptor {
    /** Feature names of the shell: its size m, q4 and q6. */
    public static final List<String> FEATURE_NAMES = List.of("sann_cn", "sann_q4", "sann_q6");

    private final double cutoff;
    private final DescriptorLayout layout;

    /** Descriptor with neighbours searched up to cutoff (A). */
    public SannGeometry(double cutoff) {
        this.cutoff = cutoff;
        this.layout = new DescriptorLayout("sann", FEATURE_NAMES, FeatureGroup.GEOMETRY, cutoff);
    }

    @Override
    public DescriptorLayout layout() {
        return layout;
    }

    @Override
    public void compute(Frame frame, CellList cells, int centre, double[] out, int offset) {
        double[][] nb = new double[64][];
        int[] count = {0};
        double rc2 = cutoff * cutoff;
        double[][][] holder = {nb};
        cells.forEachNeighbor(centre, (j, dx, dy, dz, r2) -> {
            if (r2 >= rc2 || r2 == 0) return;
            if (count[0] == holder[0].length) holder[0] = Arrays.copyOf(holder[0], 2 * count[0]);
            holder[0][count[0]++] = new double[] {Math.sqrt(r2), dx, dy, dz};
        });
        nb = holder[0];
        int n = count[0];
        Arrays.sort(nb, 0, n, (a, b) -> Double.compare(a[0], b[0]));
        int m = n;
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += nb[k][0];
            int mm = k + 1;
            if (mm >= 3 && k + 1 < n && sum / (mm - 2) < nb[k + 1][0]) {
                m = mm;
                break;
            }
        }
        out[offset] = m;
        // Steinhardt q_l of the shell through the addition theorem: q_l^2 = (1/m^2) sum_{j,k} P_l(cos theta_jk)
        double s4 = 0, s6 = 0;
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                double c = (nb[a][1] * nb[b][1] + nb[a][2] * nb[b][2] + nb[a][3] * nb[b][3]) / (nb[a][0] * nb[b][0]);
                double c2 = c * c;
                s4 += (35 * c2 * c2 - 30 * c2 + 3) / 8;
                s6 += (231 * c2 * c2 * c2 - 315 * c2 * c2 + 105 * c2 - 5) / 16;
            }
        }
        out[offset + 1] = m == 0 ? 0 : Math.sqrt(Math.max(0, s4)) / m;
        out[offset + 2] = m == 0 ? 0 : Math.sqrt(Math.max(0, s6)) / m;
    }
}
