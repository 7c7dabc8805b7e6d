package org.interphase.structure;

import java.util.ArrayList;
import java.util.List;

/**
 * The ordered argyrodite Li6PS5Cl conventional cell (space group F-43m, No. 216), generated from its
 * Wyckoff positions.
 *
 * <p>Sites and lattice constant are those of the ordered, DFT-style model in
 * {@code shared/data/Li6PS5Cl_conventional.data} (52 atoms, a = 10.279498 A), which comes from the public
 * repository mir-group/nequip-benchmark-run ({@code baseline_measurement/structure/structure_conventional.data});
 * see {@code shared/data/README.md}: Cl 4a (0,0,0); P 4b (1/2,1/2,1/2); S 4c (1/4,1/4,1/4);
 * S 16e (x,x,x), x = 0.615522333; Li 24g (x,1/4,1/4), x = 0.023113 (all fully occupied). The real material has
 * Li half-occupying 48h and Cl/S site disorder; this ordered cell is the usual simulation model.
 *
 * <p>The point group -43m (T_d) is the 24 signed permutation matrices with an even number of minus signs;
 * the F lattice adds the centring translations (0,1/2,1/2), (1/2,0,1/2), (1/2,1/2,0).
 */
public final class Argyrodite {
    /** Lattice constant of the reference cell (Angstrom). */
    public static final double A = 10.279498;
    /** x of S on 16e (x,x,x): 6.3272605910288346 / 10.279498. */
    public static final double X_S16E = 0.615522333;
    /** x of Li on 24g (x,1/4,1/4): 0.23759003727400002 / 10.279498. */
    public static final double X_LI24G = 0.0231130;

    private Argyrodite() {
    }

    /** The 52-atom conventional cell, atoms ordered Li, P, S, Cl. */
    public static CrystalCell conventional() {
        return conventional(A);
    }

    /** The 52-atom conventional cell scaled to lattice constant {@code a}, atoms ordered Li, P, S, Cl. */
    public static CrystalCell conventional(double a) {
        List<String> el = new ArrayList<>();
        List<double[]> pos = new ArrayList<>();
        addOrbit(el, pos, "Li", X_LI24G, 0.25, 0.25);
        addOrbit(el, pos, "P", 0.5, 0.5, 0.5);
        addOrbit(el, pos, "S", 0.25, 0.25, 0.25);
        addOrbit(el, pos, "S", X_S16E, X_S16E, X_S16E);
        addOrbit(el, pos, "Cl", 0.0, 0.0, 0.0);
        double[] frac = new double[3 * pos.size()];
        for (int i = 0; i < pos.size(); i++) System.arraycopy(pos.get(i), 0, frac, 3 * i, 3);
        return new CrystalCell("Li6PS5Cl", a, el.toArray(String[]::new), frac);
    }

    private static final int[][] PERMS = {{0, 1, 2}, {1, 2, 0}, {2, 0, 1}, {1, 0, 2}, {0, 2, 1}, {2, 1, 0}};
    private static final double[][] SIGNS = {{1, 1, 1}, {1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}};
    private static final double[][] CENTRING = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}};

    /** Adds the distinct images of (x,y,z) under F-43m. */
    private static void addOrbit(List<String> el, List<double[]> pos, String element, double x, double y, double z) {
        double[] p = {x, y, z};
        int start = pos.size();
        for (int[] perm : PERMS) {
            for (double[] sign : SIGNS) {
                for (double[] t : CENTRING) {
                    double[] q = new double[3];
                    for (int d = 0; d < 3; d++) q[d] = CrystalCell.wrap(sign[d] * p[perm[d]] + t[d]);
                    boolean seen = false;
                    for (int k = start; k < pos.size() && !seen; k++) seen = periodicDistance(pos.get(k), q) < 1e-6;
                    if (!seen) {
                        pos.add(q);
                        el.add(element);
                    }
                }
            }
        }
    }

    private static double periodicDistance(double[] a, double[] b) {
        double s = 0;
        for (int d = 0; d < 3; d++) {
            double x = a[d] - b[d];
            x -= Math.rint(x);
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
