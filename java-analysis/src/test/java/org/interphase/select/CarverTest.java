package org.interphase.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.interphase.io.Box;
import org.interphase.io.Frame;
import org.interphase.io.InputException;
import org.junit.jupiter.api.Test;

/** Carved atoms against a brute-force search over periodic images (-2..2 along each periodic cell vector). */
class CarverTest {
    private static Frame randomFrame(Box box, int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[3 * n];
        for (int i = 0; i < n; i++) {
            // fractional coordinates partly outside [0,1) (unwrapped dumps) along periodic directions
            double s0 = r.nextDouble() * 1.4 - 0.2, s1 = r.nextDouble() * 1.4 - 0.2, s2 = r.nextDouble() * 1.4 - 0.2;
            if (!box.isPeriodic(0)) s0 = r.nextDouble();
            if (!box.isPeriodic(1)) s1 = r.nextDouble();
            if (!box.isPeriodic(2)) s2 = r.nextDouble();
            box.toCartesian(s0, s1, s2, x, 3 * i);
        }
        int[] t = new int[n];
        String[] el = new String[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1 + i % 4;
            el[i] = new String[] {"Li", "P", "S", "Cl"}[i % 4];
        }
        return new Frame(42, Double.NaN, box, x, t, el);
    }

    /** Shortest image of atom j seen from atom c, by trying every image shift in -2..2. */
    private static double[] nearestImage(Frame f, int c, int j) {
        Box b = f.box();
        double[] best = null;
        double bd = Double.MAX_VALUE;
        for (int a = -2; a <= 2; a++) {
            for (int bb = -2; bb <= 2; bb++) {
                for (int cc = -2; cc <= 2; cc++) {
                    if ((a != 0 && !b.isPeriodic(0)) || (bb != 0 && !b.isPeriodic(1)) || (cc != 0 && !b.isPeriodic(2))) continue;
                    double[] d = new double[3];
                    for (int k = 0; k < 3; k++) {
                        d[k] = f.x(j, k) - f.x(c, k) + a * b.h(0, k) + bb * b.h(1, k) + cc * b.h(2, k);
                    }
                    double q = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                    if (q < bd) {
                        bd = q;
                        best = d;
                    }
                }
            }
        }
        return best;
    }

    private static void check(Frame f, int centre, double radius, double buffer, double vacuum, boolean periodic) {
        Carver.Carved cut = new Carver(radius, buffer, vacuum, periodic).carve(f, centre);
        List<Integer> expect = new ArrayList<>();
        List<Boolean> core = new ArrayList<>();
        List<double[]> disp = new ArrayList<>();
        for (int j = 0; j < f.size(); j++) {
            double[] d = nearestImage(f, centre, j);
            double r = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            if (r < radius + buffer) {
                expect.add(j);
                core.add(r < radius);
                disp.add(d);
            }
        }
        assertArrayEquals(expect.stream().mapToInt(Integer::intValue).toArray(), cut.source());
        for (int a = 0; a < expect.size(); a++) assertEquals(core.get(a), cut.core()[a], "core flag of atom " + expect.get(a));
        double side = 2 * (radius + buffer) + vacuum;
        Frame cell = cut.cell();
        assertEquals(Box.orthogonal(side, side, side, periodic, periodic, periodic), cell.box());
        assertEquals(f.step(), cell.step());
        for (int a = 0; a < expect.size(); a++) {
            int j = expect.get(a);
            assertEquals(f.elements()[j], cell.elements()[a]);
            assertEquals(f.types()[j], cell.types()[a]);
            for (int k = 0; k < 3; k++) assertEquals(side / 2 + disp.get(a)[k], cell.x(a, k), 1e-9);
            assertTrue(cell.x(a, 0) >= vacuum / 2 && cell.x(a, 0) <= side - vacuum / 2);
        }
        assertTrue(expect.contains(centre));
    }

    @Test
    void triclinicPeriodicBox() {
        Box box = Box.lammps(14.0, 13.0, 12.5, 4.5, -3.0, 2.5, new boolean[] {true, true, true});
        Frame f = randomFrame(box, 600, 1);
        for (int c : new int[] {0, 17, 333, 599}) {
            check(f, c, 3.0, 2.0, 6.0, false);
            check(f, c, 4.0, 1.5, 3.0, true);
            check(f, c, 5.0, 0.0, 0.0, false);
        }
    }

    @Test
    void slabPeriodicInTwoDirections() {
        Box box = Box.lammps(12.0, 11.0, 30.0, 3.0, 0.0, 0.0, new boolean[] {true, true, false});
        Frame f = randomFrame(box, 500, 2);
        for (int c : new int[] {3, 250, 499}) check(f, c, 3.5, 1.5, 6.0, false);
    }

    @Test
    void tooLargeForTheBox() {
        Box box = Box.lammps(10.0, 10.0, 10.0, 3.0, 0.0, 0.0, new boolean[] {true, true, true});
        Frame f = randomFrame(box, 50, 3);
        InputException e = assertThrows(InputException.class, () -> new Carver(3.0, 2.0, 6.0, false).carve(f, 0));
        assertTrue(e.getMessage().contains("is not below half the box width"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        // a non-periodic direction does not limit the radius
        Box open = Box.lammps(10.0, 10.0, 10.0, 0, 0, 0, new boolean[] {false, false, false});
        new Carver(20.0, 2.0, 6.0, false).carve(randomFrame(open, 50, 4), 0);
    }

    @Test
    void badOptions() {
        assertThrows(InputException.class, () -> new Carver(0, 2, 6, false));
        assertThrows(InputException.class, () -> new Carver(3, -1, 6, false));
        assertThrows(InputException.class, () -> new Carver(3, 2, -1, false));
        InputException e = assertThrows(InputException.class, () -> new Carver(3, 2, 0, true));
        assertTrue(e.getMessage().contains("--vacuum"), e.getMessage());
    }
}
