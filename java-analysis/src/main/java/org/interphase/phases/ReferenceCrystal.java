package org.interphase.phases;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.interphase.io.Box;
import org.interphase.io.Frame;

/**
 * A reference crystal: unit cell vectors (rows), atoms with fractional coordinates and a site label each.
 *
 * @param phase    phase name (e.g. "LiCl")
 * @param h        3x3 row-major cell vectors as rows (Angstrom)
 * @param elements element per basis atom
 * @param sites    site label per basis atom (e.g. "Li(4b)")
 * @param frac     3N fractional coordinates
 */
public record ReferenceCrystal(String phase, double[] h, String[] elements, String[] sites, double[] frac) {

    /** Copies arrays. */
    public ReferenceCrystal {
        h = h.clone();
        elements = elements.clone();
        sites = sites.clone();
        frac = frac.clone();
        if (frac.length != 3 * elements.length || sites.length != elements.length) {
            throw new IllegalArgumentException(phase + ": inconsistent basis");
        }
    }

    /** Number of basis atoms. */
    public int size() {
        return elements.length;
    }

    /**
     * A periodic supercell whose perpendicular widths are all at least {@code minWidth}, with every atom displaced
     * by an isotropic Gaussian of standard deviation {@code sigma} (Angstrom) per Cartesian component ("thermal
     * rattling"), from a fixed seed.
     */
    public Supercell supercell(double minWidth, double sigma, long seed) {
        return supercell(minWidth, e -> sigma, seed);
    }

    /** As {@link #supercell(double, double, long)} with a rattling amplitude per element (Angstrom). */
    public Supercell supercell(double minWidth, java.util.function.ToDoubleFunction<String> sigmaOfElement, long seed) {
        Box unit = Box.periodic(h);
        double[] w = unit.perpendicularWidths();
        int[] rep = new int[3];
        for (int d = 0; d < 3; d++) rep[d] = Math.max(1, (int) Math.ceil(minWidth / w[d]));
        double[] hs = new double[9];
        for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) hs[3 * r + c] = h[3 * r + c] * rep[r];
        Box box = Box.periodic(hs);
        int n = size() * rep[0] * rep[1] * rep[2];
        double[] x = new double[3 * n];
        String[] el = new String[n];
        String[] st = new String[n];
        int[] types = new int[n];
        Random rnd = new Random(seed);
        List<String> distinct = new ArrayList<>();
        int k = 0;
        for (int a = 0; a < rep[0]; a++) {
            for (int b = 0; b < rep[1]; b++) {
                for (int c = 0; c < rep[2]; c++) {
                    for (int i = 0; i < size(); i++) {
                        double s0 = (frac[3 * i] + a) / rep[0], s1 = (frac[3 * i + 1] + b) / rep[1], s2 = (frac[3 * i + 2] + c) / rep[2];
                        box.toCartesian(s0, s1, s2, x, 3 * k);
                        double sigma = sigmaOfElement.applyAsDouble(elements[i]);
                        for (int d = 0; d < 3; d++) x[3 * k + d] += sigma * rnd.nextGaussian();
                        el[k] = elements[i];
                        st[k] = sites[i];
                        if (!distinct.contains(el[k])) distinct.add(el[k]);
                        types[k] = distinct.indexOf(el[k]) + 1;
                        k++;
                    }
                }
            }
        }
        return new Supercell(this, new Frame(0, 0.0, box, box.wrap(x), types, el), st);
    }

    /** A rattled supercell and the site label of each atom. */
    public record Supercell(ReferenceCrystal crystal, Frame frame, String[] sites) {
    }
}
