package org.interphase.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.interphase.io.Box;
import org.interphase.io.Frame;
import org.junit.jupiter.api.Test;

/** The interphase thickness rule on hand-made labelled frames. */
class ProfileTest {
    static final List<String> PHASES = List.of("Li", "Li2S", "LiCl", "Li3P", "Li6PS5Cl", "unassigned");

    /** Frame with one atom per entry at z = zs[i] in a 10 x 10 x 20 box (long axis z). */
    private static Profile profile(double[] zs, String[] labels) {
        double[] x = new double[3 * zs.length];
        for (int i = 0; i < zs.length; i++) {
            x[3 * i] = 1;
            x[3 * i + 1] = 1;
            x[3 * i + 2] = zs[i];
        }
        int[] t = new int[zs.length];
        String[] e = new String[zs.length];
        java.util.Arrays.fill(t, 1);
        java.util.Arrays.fill(e, "Li");
        Frame f = new Frame(0, 0, Box.orthogonal(10, 10, 20, true, true, true), x, t, e);
        return Profile.of(f, labels, PHASES, 2.0);
    }

    @Test
    void thicknessCountsBinsWhereNeitherEndMemberDominates() {
        // bins of 2 A along z: 0-3 Li metal, 4-5 LiCl, 6 half Li / half Li6PS5Cl, 7-9 Li6PS5Cl
        List<Double> z = new ArrayList<>();
        List<String> l = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            String lab = b < 4 ? "Li" : b < 6 ? "LiCl" : "Li6PS5Cl";
            z.add(2.0 * b + 0.5);
            l.add(b == 6 ? "Li" : lab);
            z.add(2.0 * b + 1.5);
            l.add(lab);
        }
        Profile p = profile(z.stream().mapToDouble(Double::doubleValue).toArray(), l.toArray(String[]::new));
        assertEquals(10, p.bins());
        assertEquals(2.0, p.binWidth(), 1e-12);
        assertEquals(2, p.axis());
        assertEquals(3, p.interphaseBins("Li", "Li6PS5Cl")); // bins 4, 5 (LiCl) and 6 (50/50: neither > 1/2)
        assertEquals(6.0, p.interphaseThickness("Li", "Li6PS5Cl"), 1e-12);
        assertEquals(1, p.interphaseRegions("Li", "Li6PS5Cl"));
        assertEquals(1.0, p.fraction(4, PHASES.indexOf("LiCl")), 1e-12);
        assertEquals(0.5, p.fraction(6, PHASES.indexOf("Li")), 1e-12);
    }

    @Test
    void emptyBinsNeverCountAndRegionsWrapAround() {
        // Li6PS5Cl in bins 3-6, an unassigned layer in bins 0 and 9 (joined across the periodic boundary),
        // bins 1, 2, 7, 8 empty
        double[] z = {0.5, 7.0, 9.0, 11.0, 13.0, 19.5};
        String[] l = {"unassigned", "Li6PS5Cl", "Li6PS5Cl", "Li6PS5Cl", "Li6PS5Cl", "unassigned"};
        Profile p = profile(z, l);
        assertEquals(2, p.interphaseBins("Li", "Li6PS5Cl"));
        assertEquals(1, p.interphaseRegions("Li", "Li6PS5Cl"));
        assertEquals(4.0, p.interphaseThickness("Li", "Li6PS5Cl"), 1e-12);
    }
}
