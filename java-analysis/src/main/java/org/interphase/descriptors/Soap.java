package org.interphase.descriptors;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.interphase.descriptors.soap.GtoRadialBasis;
import org.interphase.descriptors.soap.PolynomialRadialBasis;
import org.interphase.descriptors.soap.RadialBasis;
import org.interphase.descriptors.soap.RealSphericalHarmonics;
import org.interphase.descriptors.soap.SmallGemm;
import org.interphase.descriptors.soap.TabulatedRadialBasis;
import org.interphase.io.Frame;
import org.interphase.neighbors.CellList;
import org.interphase.neighbors.NeighborVisitor;

/**
 * SOAP partial power spectrum with dscribe 2.1's definition (weighting off, compression off,
 * average "off"), so values agree with {@code dscribe.descriptors.SOAP} element by element.
 *
 * <p>Definition. Around centre i the density of species Z is rho_Z(x) = sum_j exp(-|x - r_ij|^2 / (2 sigma^2))
 * over atoms j of species Z with |r_ij| &lt;= r_cut + sigma sqrt(-2 ln 1e-3) (dscribe's padded cutoff),
 * INCLUDING the centre atom itself (r_ii = 0, which only contributes to l = 0). Its coefficients are
 * c^Z_nlm = int g_nl(|x|) Y_lm(x/|x|) rho_Z(x) d^3x = sum_j R_nl(|r_ij|) Y_lm(r_ij/|r_ij|) (see
 * {@link RadialBasis}), with real orthonormal spherical harmonics. The features are
 * p^(Z1 Z2)_(n n' l) = pi sqrt(8 / (2l + 1)) sum_m c^Z1_nlm c^Z2_n'lm (the sqrt of the prefactor from the
 * erratum of Bartok, Kondor, Csanyi, PRB 87, 184115 (2013), as dscribe uses it).
 *
 * <p>Order (dscribe's): species sorted by atomic number; pairs Z1 &lt;= Z2 in lexicographic order; inside a
 * pair, l from 0 to l_max, then n, then n' (n' &gt;= n when Z1 = Z2, all n' otherwise).
 *
 * <p>Implementation: the radial functions (including the Gaussian smearing integral and the
 * orthonormalisation) are tabulated once per parameter set ({@link TabulatedRadialBasis}; gto: error below
 * 1e-10 of each function's range; polynomial: tabulated from 1 A on and only when the table reproduces the
 * integrals to 1e-7, otherwise integrated per neighbour, see {@link #radialTabulated()}). Harmonics come from
 * recurrences without trigonometric calls. Neighbours are buffered per species and the coefficients and the
 * power spectrum (upper triangle of C_l^T C_l over the (species, n) index) are small register-tiled matrix
 * products ({@link SmallGemm}). Thread-safe: all scratch is per thread, and the per-centre path allocates
 * nothing once the per-thread neighbour buffers have grown to the largest neighbourhood.
 */
public final class Soap implements Descriptor {
    private static final double CENTRE_R2 = 1e-12;
    /** Target interpolation error of the radial tables, relative to each radial function's range. */
    static final double TABLE_TOLERANCE = 1e-10;
    /** A polynomial table is used only if it reproduces the per-neighbour integrals this well. */
    static final double POLYNOMIAL_TABLE_ACCEPT = 1e-7;
    /** Below this distance (A) the polynomial basis is integrated per neighbour, as dscribe does. */
    static final double POLYNOMIAL_EXACT_BELOW = 1.0;

    private final SoapParameters params;
    private final RadialBasis exact;
    private final RadialBasis radial;
    private final double tableError;
    private final boolean tabulated;
    private final RealSphericalHarmonics harmonics;
    private final int nSpecies;
    private final int nMax;
    private final int lMax;
    private final int l2;       // (lMax+1)^2
    private final int d;        // nSpecies * nMax
    private final int dimension;
    private final double cutoff;
    private final double cutoff2;
    private final double[] selfTerm;   // [n]: R_n0(0) Y_00
    private final double[] prefactor;  // [l]
    private final Map<String, Integer> speciesIndex = new HashMap<>();
    private final ThreadLocal<Workspace> workspaces;
    private final DescriptorLayout layout;

    /** Builds the descriptor and its radial tables (a few ms to ~100 ms). */
    public Soap(SoapParameters params) {
        this(params, true);
    }

    /** With {@code tabulate = false} every neighbour's radial integrals are evaluated exactly (slow; for tests). */
    Soap(SoapParameters params, boolean tabulate) {
        this.params = params;
        this.nSpecies = params.speciesCount();
        this.nMax = params.nMax();
        this.lMax = params.lMax();
        this.l2 = (lMax + 1) * (lMax + 1);
        this.d = nSpecies * nMax;
        this.dimension = params.dimension();
        this.cutoff = params.neighbourCutoff();
        this.cutoff2 = cutoff * cutoff;
        this.exact = switch (params.rbf()) {
            case GTO -> new GtoRadialBasis(params.rCut(), nMax, lMax, params.sigma());
            case POLYNOMIAL -> new PolynomialRadialBasis(params.rCut(), nMax, lMax, params.sigma());
        };
        if (tabulate) {
            boolean poly = params.rbf() == SoapParameters.Rbf.POLYNOMIAL;
            TabulatedRadialBasis table = new TabulatedRadialBasis(exact, poly ? POLYNOMIAL_EXACT_BELOW : 0.0, cutoff,
                    TABLE_TOLERANCE, poly ? 2 : 4);
            if (poly && !(table.achievedError() <= POLYNOMIAL_TABLE_ACCEPT)) {
                // dscribe's numerical integrals are not smooth in r for wide Gaussians (clamped upward Bessel
                // recurrence, exp truncation at 5 A): integrate per neighbour like dscribe does.
                this.radial = exact;
                this.tableError = 0.0;
                this.tabulated = false;
            } else {
                this.radial = table;
                this.tableError = table.achievedError();
                this.tabulated = true;
            }
        } else {
            this.radial = exact;
            this.tableError = 0.0;
            this.tabulated = false;
        }
        this.harmonics = new RealSphericalHarmonics(lMax);
        double[] r0 = new double[(lMax + 1) * nMax];
        exact.evaluate(0.0, r0);
        double y00 = Math.sqrt(1.0 / (4.0 * Math.PI));
        selfTerm = new double[nMax];
        for (int n = 0; n < nMax; n++) selfTerm[n] = r0[n] * y00;
        prefactor = new double[lMax + 1];
        for (int l = 0; l <= lMax; l++) prefactor[l] = Math.PI * Math.sqrt(8.0 / (2.0 * l + 1.0));
        List<String> sp = params.species();
        for (int s = 0; s < nSpecies; s++) speciesIndex.put(sp.get(s), s);
        workspaces = ThreadLocal.withInitial(Workspace::new);
        layout = new DescriptorLayout("soap", Arrays.stream(labels()).map(l -> PREFIX + l).toList(), FeatureGroup.SOAP, cutoff);
    }

    /** Position of p^(Z1 Z2)_(n1 n2 l) in the output, species given by their index in {@link SoapParameters#species()}. */
    public int featureIndex(int s1, int s2, int l, int n1, int n2) {
        if (s1 > s2) {
            int t = s1;
            s1 = s2;
            s2 = t;
            t = n1;
            n1 = n2;
            n2 = t;
        }
        int same = nMax * (nMax + 1) / 2;
        int cross = nMax * nMax;
        int offset = 0;
        for (int a = 0; a < s1; a++) offset += (lMax + 1) * (same + (nSpecies - 1 - a) * cross);
        if (s1 == s2) {
            if (n1 > n2) {
                int t = n1;
                n1 = n2;
                n2 = t;
            }
            int tri = n1 * nMax - n1 * (n1 - 1) / 2 + (n2 - n1);
            return offset + l * same + tri;
        }
        offset += (lMax + 1) * same + (s2 - s1 - 1) * (lMax + 1) * cross;
        return offset + l * cross + n1 * nMax + n2;
    }

    /** Prefix of the feature names in the output tables. */
    public static final String PREFIX = "soap_";

    /**
     * Feature names {@code soap_Li-S_l2_n0_n3} etc. ({@link #labels()} with {@link #PREFIX}); the cutoff is
     * r_cut + dscribe's padding sigma sqrt(-2 ln 1e-3).
     */
    @Override
    public DescriptorLayout layout() {
        return layout;
    }

    /** dscribe-style feature labels like {@code Li-S_l2_n0_n3}, in output order. */
    public String[] labels() {
        String[] names = new String[dimension];
        List<String> sp = params.species();
        for (int l = 0; l <= lMax; l++) {
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    names[featureIndex(a / nMax, b / nMax, l, a % nMax, b % nMax)] =
                            sp.get(a / nMax) + "-" + sp.get(b / nMax) + "_l" + l + "_n" + (a % nMax) + "_n" + (b % nMax);
                }
            }
        }
        return names;
    }

    /** The parameters. */
    public SoapParameters parameters() {
        return params;
    }

    /** Interpolation error of the radial table (relative to each radial function's range); 0 when not tabulated. */
    public double radialTableError() {
        return tableError;
    }

    /** Whether the radial integrals come from a table (always for gto; for polynomial when it is accurate). */
    public boolean radialTabulated() {
        return tabulated;
    }

    @Override
    public void compute(Frame frame, CellList cells, int centre, double[] out, int offset) {
        if (centre < 0 || centre >= frame.size()) {
            throw new IllegalArgumentException("SOAP centre " + centre + " is outside the frame (" + frame.size() + " atoms)");
        }
        if (offset < 0 || out.length - offset < dimension) {
            throw new IllegalArgumentException("SOAP output array too small: need " + dimension + " values from offset " + offset);
        }
        if (cells.cutoff() < cutoff * (1 - 1e-12)) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "cell list cutoff %.4g A is smaller than the SOAP cutoff %.4g A (r_cut + 3.72 sigma): build it with Soap.cutoff()",
                    cells.cutoff(), cutoff));
        }
        Workspace ws = workspaces.get();
        ws.prepare(frame);
        double[] c = ws.c;
        Arrays.fill(c, 0.0);
        int base = ws.speciesOf[centre] * nMax; // l = 0, m = 0 row
        for (int n = 0; n < nMax; n++) c[base + n] += selfTerm[n];
        Arrays.fill(ws.count, 0);
        cells.forEachNeighbor(centre, ws);
        ws.accumulate();
        powerSpectrum(c, ws.p, out, offset);
    }

    /**
     * SOAP of the given centres of one frame, in parallel on {@code threads} worker threads.
     *
     * @return row-major [centres.length][dimension()]
     */
    public double[] computeAll(Frame frame, int[] centres, int threads) {
        double[] out = new double[centres.length * dimension];
        computeAll(frame, centres, threads, out);
        return out;
    }

    /** As {@link #computeAll(Frame, int[], int)}, writing into {@code out} (at least centres.length * dimension()). */
    public void computeAll(Frame frame, int[] centres, int threads, double[] out) {
        if (out.length < (long) centres.length * dimension) {
            throw new IllegalArgumentException("SOAP output array too small: need " + (long) centres.length * dimension + " values");
        }
        CellList cells = new CellList(frame.box(), frame.positions(), cutoff);
        if (threads <= 1) {
            for (int k = 0; k < centres.length; k++) compute(frame, cells, centres[k], out, k * dimension);
            return;
        }
        ParallelTasks.await(() -> {
            try (ForkJoinPool pool = new ForkJoinPool(threads)) {
                pool.submit(() -> IntStream.range(0, centres.length).parallel()
                        .forEach(k -> compute(frame, cells, centres[k], out, k * dimension))).get();
            }
        }, "SOAP computation interrupted");
    }

    private void powerSpectrum(double[] c, double[] p, double[] out, int offset) {
        int dd = d * d;
        for (int l = 0; l <= lMax; l++) {
            // P_l = upper triangle of C_l^T C_l, C_l = rows lm of c (2l+1 x d)
            SmallGemm.atb(c, l * l * d, d, c, l * l * d, d, 2 * l + 1, d, d, p, l * dd, d, false, true);
        }
        // write in dscribe's order: species pair, l, n, n'
        int k = offset;
        for (int s1 = 0; s1 < nSpecies; s1++) {
            for (int s2 = s1; s2 < nSpecies; s2++) {
                for (int l = 0; l <= lMax; l++) {
                    double pre = prefactor[l];
                    for (int n1 = 0; n1 < nMax; n1++) {
                        int row = l * dd + (s1 * nMax + n1) * d + s2 * nMax;
                        for (int n2 = s1 == s2 ? n1 : 0; n2 < nMax; n2++) out[k++] = pre * p[row + n2];
                    }
                }
            }
        }
    }

    /**
     * Per-thread scratch; also the neighbour visitor. Neighbours are buffered per species (harmonics and radial
     * values), then c[lm][species*nMax + n] += sum_j Y_lm(j) R_nl(j) is done as small matrix products.
     */
    private final class Workspace implements NeighborVisitor {
        final double[] c = new double[l2 * d];
        final double[] p = new double[(lMax + 1) * d * d];
        final double[] y = new double[l2];
        final double[] rad = new double[(lMax + 1) * nMax];
        final int width = (lMax + 1) * nMax;
        final int[] count = new int[nSpecies];
        final double[][] yBuf = new double[nSpecies][16 * l2];
        final double[][] rBuf = new double[nSpecies][16 * width];
        String[] elements;
        int[] speciesOf = new int[0];

        void prepare(Frame frame) {
            String[] el = frame.elements();
            if (el == elements) return;
            int[] idx = new int[el.length];
            for (int i = 0; i < el.length; i++) {
                Integer s = speciesIndex.get(el[i]);
                if (s == null) {
                    throw new IllegalArgumentException("element '" + el[i] + "' of atom " + i
                            + " is not in the SOAP species list " + params.species() + ": add it to the species");
                }
                idx[i] = s;
            }
            speciesOf = idx;
            elements = el;
        }

        @Override
        public void visit(int j, double dx, double dy, double dz, double r2) {
            if (r2 > cutoff2) return;
            int s = speciesOf[j];
            double r = Math.sqrt(r2);
            if (r2 <= CENTRE_R2) {
                exact.evaluate(r, rad);
                double y00 = Math.sqrt(1.0 / (4.0 * Math.PI));
                for (int n = 0; n < nMax; n++) c[s * nMax + n] += rad[n] * y00;
                return;
            }
            int k = count[s];
            if ((k + 1) * l2 > yBuf[s].length) {
                yBuf[s] = Arrays.copyOf(yBuf[s], 2 * yBuf[s].length);
                rBuf[s] = Arrays.copyOf(rBuf[s], 2 * rBuf[s].length);
            }
            double inv = 1.0 / r;
            harmonics.compute(dx * inv, dy * inv, dz * inv, y);
            radial.evaluate(r, rad);
            System.arraycopy(y, 0, yBuf[s], k * l2, l2);
            System.arraycopy(rad, 0, rBuf[s], k * width, width);
            count[s] = k + 1;
        }

        void accumulate() {
            for (int s = 0; s < nSpecies; s++) {
                int k = count[s];
                if (k == 0) continue;
                for (int l = 0; l <= lMax; l++) {
                    SmallGemm.atb(yBuf[s], l * l, l2, rBuf[s], l * nMax, width, k, 2 * l + 1, nMax,
                            c, l * l * d + s * nMax, d, true, false);
                }
            }
        }
    }
}
