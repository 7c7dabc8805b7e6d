package org.interphase.penetration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.interphase.io.Box;
import org.interphase.io.Frame;
import org.interphase.io.InputException;
import org.junit.jupiter.api.Test;

/** Penetration depths of hand-placed atoms, including moves across the periodic boundary, against closed-form values. */
class LiPenetrationTest {
    // metal slab 10..20 A in a 40 A box, gap 2 A; 100 metal Li atoms (ids 1..100) + 1 S atom
    static final CellGeometry CELL = new CellGeometry(10, 20, 22, 38, 40, 2.0, 100, 101);

    static Frame frame(long step, double[] z) {
        int n = z.length;
        double[] p = new double[3 * n];
        int[] t = new int[n];
        String[] e = new String[n];
        for (int i = 0; i < n; i++) {
            p[3 * i + 2] = z[i];
            t[i] = i < 100 ? 1 : 3;
            e[i] = i < 100 ? "Li" : "S";
        }
        return new Frame(step, step * 0.001, Box.orthogonal(20, 20, 40, true, true, true), p, t, e);
    }

    @Test
    void depthsBeyondBothSurfacesAndAcrossThePeriodicBoundary() {
        double[] z = new double[101];
        for (int i = 0; i < 100; i++) z[i] = 10 + 0.1 * i; // 10.0 .. 19.9, all inside
        z[100] = 30;
        LiPenetration p = new LiPenetration(CELL);
        LiPenetration.Sample s0 = p.accept(frame(0, z));
        assertEquals(0.0, s0.maxDepth());
        assertEquals(0, s0.crossed());
        // atom 0 moves down 3 A (crosses nothing periodic: 10 -> 7), then another 8 A: 7 -> -1 == 39 (wrapped)
        // atom 99 moves up 4 A: 19.9 -> 23.9 (depth 3.9, crossed the mid-gap plane at 21)
        double[] z1 = z.clone();
        z1[0] = 7;
        z1[99] = 23.9;
        LiPenetration.Sample s1 = p.accept(frame(100, z1));
        assertEquals(3.9, s1.maxDepth(), 1e-12);
        assertEquals(2, s1.crossed()); // depths 3 and 3.9 > gap/2 = 1
        double[] z2 = z1.clone();
        z2[0] = 39; // unwrapped -1 -> depth 11 below the lower surface
        LiPenetration.Sample s2 = p.accept(frame(200, z2));
        assertEquals(11.0, s2.maxDepth(), 1e-12);
        // 98 zeros, 3.9, 11 -> numpy.percentile(..., 99) = 0.98*3.9 + 0.02*... computed by linear interpolation:
        // sorted index pos = 0.99*99 = 98.01 -> 3.9 + 0.01*(11-3.9)
        assertEquals(3.9 + 0.01 * 7.1, s2.p99Depth(), 1e-12);
        assertEquals(0.0, s2.p95Depth()); // pos 94.05 lies among the zeros
        assertEquals(2, s2.crossed());
    }

    @Test
    void mismatchedCellIsRejected() {
        double[] z = new double[101];
        java.util.Arrays.fill(z, 15);
        LiPenetration p = new LiPenetration(new CellGeometry(10, 20, 22, 38, 40, 2.0, 100, 200));
        InputException e = assertThrows(InputException.class, () -> p.accept(frame(0, z)));
        assertTrue(e.getMessage().contains("101 atoms but the cell file says 200"), e.getMessage());
        LiPenetration q = new LiPenetration(new CellGeometry(10, 20, 22, 38, 40, 2.0, 101, 101));
        InputException f = assertThrows(InputException.class, () -> q.accept(frame(0, z)));
        assertTrue(f.getMessage().contains("atom id 101 is S"), f.getMessage());
    }
}
