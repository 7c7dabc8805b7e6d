package org.interphase.analysis;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.interphase.io.Box;
import org.interphase.io.Frame;

/**
 * Phase fractions in bins along the cell's longest cell vector. Bins split the fractional coordinate along that
 * vector evenly (the whole cell when periodic, else the atoms' range); a bin's width is its extent along the
 * perpendicular width of the cell in that direction.
 *
 * <p>Interphase rule: a non-empty bin belongs to the interphase when neither Li metal nor the electrolyte holds
 * more than half of its atoms; the interphase thickness is the number of such bins times the bin width (all
 * interphase regions together; {@link #interphaseRegions} counts the separate regions, e.g. 2 in a symmetric
 * Li | electrolyte | Li cell).
 */
public final class Profile {
    private final int axis;
    private final double binWidth;
    private final double lo;
    private final int[] atoms;
    private final double[][] fractions; // [bin][phase]
    private final List<String> phases;

    private Profile(int axis, double binWidth, double lo, int[] atoms, double[][] fractions, List<String> phases) {
        this.axis = axis;
        this.binWidth = binWidth;
        this.lo = lo;
        this.atoms = atoms;
        this.fractions = fractions;
        this.phases = phases;
    }

    /** Index of the longest cell vector. */
    public static int longAxis(Box b) {
        int ax = 0;
        for (int d = 1; d < 3; d++) if (b.length(d) > b.length(ax)) ax = d;
        return ax;
    }

    /** Profile of one labelled frame with bins of about {@code targetWidth} Angstrom. */
    public static Profile of(Frame f, String[] phaseOfAtom, List<String> phases, double targetWidth) {
        Box b = f.box();
        int ax = longAxis(b);
        double width = b.perpendicularWidths()[ax];
        double[] inv = b.inverse();
        double[] s = new double[3];
        int n = f.size();
        double[] u = new double[n];
        double smin = 0, smax = 1;
        if (!b.isPeriodic(ax)) {
            smin = Double.MAX_VALUE;
            smax = -Double.MAX_VALUE;
        }
        double[] x = f.positions();
        for (int i = 0; i < n; i++) {
            b.toFractional(x[3 * i], x[3 * i + 1], x[3 * i + 2], inv, s, 0);
            double v = s[ax];
            if (b.isPeriodic(ax)) {
                v -= Math.floor(v);
            } else {
                smin = Math.min(smin, v);
                smax = Math.max(smax, v);
            }
            u[i] = v;
        }
        double span = Math.max(smax - smin, 1e-9);
        int nb = Math.max(1, (int) Math.round(span * width / targetWidth));
        int[] cnt = new int[nb];
        double[][] fr = new double[nb][phases.size()];
        for (int i = 0; i < n; i++) {
            int bin = (int) Math.floor((u[i] - smin) / span * nb);
            bin = Math.max(0, Math.min(nb - 1, bin));
            cnt[bin]++;
            fr[bin][phases.indexOf(phaseOfAtom[i])]++;
        }
        for (int k = 0; k < nb; k++) for (int p = 0; p < phases.size(); p++) if (cnt[k] > 0) fr[k][p] /= cnt[k];
        return new Profile(ax, span * width / nb, smin * width, cnt, fr, phases);
    }

    /** Bin width in Angstrom. */
    public double binWidth() {
        return binWidth;
    }

    /** Long axis index (0, 1, 2 = a, b, c). */
    public int axis() {
        return axis;
    }

    /** Number of bins. */
    public int bins() {
        return atoms.length;
    }

    /** Centre of bin k in Angstrom along the long axis (perpendicular distance from the cell face). */
    public double centre(int k) {
        return lo + (k + 0.5) * binWidth;
    }

    /** Fraction of phase p in bin k. */
    public double fraction(int k, int p) {
        return fractions[k][p];
    }

    private boolean interphase(int k, int pLi, int pEl) {
        if (atoms[k] == 0) return false;
        // atoms labelled as an interface between two known phases are not interphase: fractions without them
        int pIf = phases.indexOf(Interfaces.INTERFACE);
        double rest = 1 - (pIf >= 0 ? fractions[k][pIf] : 0);
        if (rest <= 1e-12) return false;
        double li = pLi >= 0 ? fractions[k][pLi] / rest : 0, el = pEl >= 0 ? fractions[k][pEl] / rest : 0;
        return li <= 0.5 && el <= 0.5;
    }

    /** Number of interphase bins. */
    public int interphaseBins(String metal, String electrolyte) {
        int pLi = phases.indexOf(metal), pEl = phases.indexOf(electrolyte);
        int c = 0;
        for (int k = 0; k < atoms.length; k++) if (interphase(k, pLi, pEl)) c++;
        return c;
    }

    /** Interphase thickness in Angstrom (all regions together). */
    public double interphaseThickness(String metal, String electrolyte) {
        return interphaseBins(metal, electrolyte) * binWidth;
    }

    /** Number of separate contiguous interphase regions (periodic wrap-around joins the ends). */
    public int interphaseRegions(String metal, String electrolyte) {
        int pLi = phases.indexOf(metal), pEl = phases.indexOf(electrolyte);
        int nb = atoms.length, regions = 0;
        for (int k = 0; k < nb; k++) {
            boolean cur = interphase(k, pLi, pEl);
            boolean prev = k > 0 ? interphase(k - 1, pLi, pEl) : (nb > 1 && interphase(nb - 1, pLi, pEl));
            if (cur && !prev) regions++;
        }
        if (regions == 0 && nb > 0 && interphase(0, pLi, pEl)) regions = 1;
        return regions;
    }

    /** Writes one CSV line per bin, prefixed by {@code head}. */
    public void writeCsv(Writer w, String head) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < atoms.length; k++) {
            sb.setLength(0);
            sb.append(head).append(',').append(k).append(',').append(AnalysisPipeline.num(lo + k * binWidth)).append(',')
                    .append(AnalysisPipeline.num(lo + (k + 1) * binWidth)).append(',').append(atoms[k]);
            for (int p = 0; p < phases.size(); p++) sb.append(',').append(AnalysisPipeline.num(fractions[k][p]));
            w.write(sb.append('\n').toString());
        }
    }
}
