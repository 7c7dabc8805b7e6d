package org.interphase.select;

import java.util.Arrays;
import org.interphase.io.Box;
import org.interphase.io.Frame;
import org.interphase.io.InputException;

/**
 * Carves a sub-cell around one atom of a large frame. With centre c, core radius R and buffer B, atom j is kept when
 * its minimum-image distance to c (in the frame's possibly triclinic, possibly partly periodic box) is below R + B; it
 * is a <i>core</i> atom when that distance is below R, else a <i>buffer</i> atom. Because R + B must be below half the
 * smallest perpendicular width of every periodic direction, the minimum image is the only periodic image of j
 * within R + B, so every atom appears at most once.
 *
 * <p>The carved atoms keep their order (atom id order) and are placed at c' + (minimum-image displacement from c) in
 * a cube of side L = 2 (R + B) + vacuum centred on c' = (L/2, L/2, L/2): every atom is at least vacuum/2 from the
 * cube's faces. The cube is non-periodic (a cluster) by default, or periodic, in which case periodic images of the
 * cluster are at least {@code vacuum} apart.
 */
public final class Carver {
    /**
     * A carved cell.
     *
     * @param cell     the carved atoms in their cube
     * @param source   0-based index in the source frame of each carved atom
     * @param core     whether each carved atom is in the core (distance below R)
     * @param distance minimum-image distance of each carved atom to the centre (A)
     */
    public record Carved(Frame cell, int[] source, boolean[] core, double[] distance) {
        /** Number of core atoms. */
        public int coreCount() {
            int c = 0;
            for (boolean b : core) if (b) c++;
            return c;
        }
    }

    private final double radius;
    private final double buffer;
    private final double vacuum;
    private final boolean periodic;

    /**
     * @param radius   core radius R (A), > 0
     * @param buffer   buffer shell B (A), >= 0
     * @param vacuum   vacuum added to the cube side (A), >= 0
     * @param periodic periodic cube instead of a non-periodic cluster
     */
    public Carver(double radius, double buffer, double vacuum, boolean periodic) {
        if (!(radius > 0) || !Double.isFinite(radius)) throw new InputException("--carve must be a radius > 0 in A, got " + radius + ": e.g. --carve 5");
        if (!(buffer >= 0) || !Double.isFinite(buffer)) throw new InputException("--buffer must be a length >= 0 in A, got " + buffer + " (default 2)");
        if (!(vacuum >= 0) || !Double.isFinite(vacuum)) throw new InputException("--vacuum must be a length >= 0 in A, got " + vacuum + " (default 6)");
        if (periodic && !(vacuum > 0)) {
            throw new InputException("--carve-box with --vacuum 0 would make the cluster touch its own periodic images: give --vacuum > 0 (default 6)");
        }
        this.radius = radius;
        this.buffer = buffer;
        this.vacuum = vacuum;
        this.periodic = periodic;
    }

    /** Side of the cube (A). */
    public double side() {
        return 2 * (radius + buffer) + vacuum;
    }

    /** Core radius R. */
    public double radius() {
        return radius;
    }

    /** Buffer B. */
    public double buffer() {
        return buffer;
    }

    /**
     * Carves the cell around atom {@code centre} (0-based) of {@code f}.
     *
     * @throws InputException when R + B is not below half a periodic width of the frame's box
     */
    public Carved carve(Frame f, int centre) {
        Box box = f.box();
        double outer = radius + buffer;
        double[] w = box.perpendicularWidths();
        for (int d = 0; d < 3; d++) {
            if (box.isPeriodic(d) && !(outer < 0.5 * w[d])) {
                throw new InputException(String.format(java.util.Locale.ROOT,
                        "--carve %s + --buffer %s = %s A is not below half the box width %.4g A along cell vector %d of the frame at step %d: "
                                + "the sphere would hold periodic images of the same atoms; use a smaller --carve/--buffer, or select whole frames (drop --carve)",
                        num(radius), num(buffer), num(outer), w[d], d, f.step()));
            }
        }
        double[] inv = box.inverse();
        double[] x = f.positions();
        int n = f.size();
        double outer2 = outer * outer, r2 = radius * radius;
        int[] idx = new int[n];
        double[] dx = new double[3 * n];
        double[] dist = new double[n];
        boolean[] core = new boolean[n];
        int m = 0;
        double[] d = new double[3];
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < 3; k++) d[k] = x[3 * j + k] - x[3 * centre + k];
            box.minimumImage(d, 0, inv);
            double q = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            if (j == centre) q = 0;
            if (q < outer2) {
                idx[m] = j;
                System.arraycopy(d, 0, dx, 3 * m, 3);
                if (j == centre) Arrays.fill(dx, 3 * m, 3 * m + 3, 0.0);
                dist[m] = Math.sqrt(q);
                core[m] = q < r2;
                m++;
            }
        }
        double l = side();
        double[] pos = new double[3 * m];
        int[] types = new int[m];
        String[] el = new String[m];
        for (int a = 0; a < m; a++) {
            for (int k = 0; k < 3; k++) pos[3 * a + k] = 0.5 * l + dx[3 * a + k];
            types[a] = f.types()[idx[a]];
            el[a] = f.elements()[idx[a]];
        }
        Box cube = Box.orthogonal(l, l, l, periodic, periodic, periodic);
        Frame cell = new Frame(f.step(), f.time(), cube, pos, types, el);
        return new Carved(cell, Arrays.copyOf(idx, m), Arrays.copyOf(core, m), Arrays.copyOf(dist, m));
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Double.toString(v);
    }
}
