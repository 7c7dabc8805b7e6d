package org.interphase.io;

import java.util.Arrays;

/**
 * Simulation cell. {@code h} is 3x3 row-major whose ROWS are the cell vectors a, b, c
 * (LAMMPS: a=(lx,0,0), b=(xy,ly,0), c=(xz,yz,lz)); the origin is dropped, i.e. positions are
 * relative to boxlo. {@code periodic[d]} tells whether direction d (along cell vector d) is periodic.
 * A Cartesian point r has fractional coordinates s with r = s0*a + s1*b + s2*c.
 *
 * <p>Immutable: arrays are copied on construction and on access.
 */
public record Box(double[] h, boolean[] periodic) {

    /** Validates and copies. */
    public Box {
        if (h == null || h.length != 9) throw new IllegalArgumentException("box matrix must have 9 entries");
        if (periodic == null || periodic.length != 3) throw new IllegalArgumentException("box needs 3 periodic flags");
        for (double x : h) {
            if (!Double.isFinite(x)) throw new IllegalArgumentException("box matrix has a non-finite entry");
        }
        h = h.clone();
        periodic = periodic.clone();
        double v = det(h);
        if (!(Math.abs(v) > 1e-12)) throw new IllegalArgumentException("box has zero volume (degenerate cell vectors)");
    }

    /** Orthogonal box lx x ly x lz. */
    public static Box orthogonal(double lx, double ly, double lz, boolean px, boolean py, boolean pz) {
        return new Box(new double[] {lx, 0, 0, 0, ly, 0, 0, 0, lz}, new boolean[] {px, py, pz});
    }

    /** LAMMPS restricted triclinic box from its lengths and tilt factors. */
    public static Box lammps(double lx, double ly, double lz, double xy, double xz, double yz, boolean[] periodic) {
        return new Box(new double[] {lx, 0, 0, xy, ly, 0, xz, yz, lz}, periodic);
    }

    /** Fully periodic box from three cell vectors given as rows. */
    public static Box periodic(double[] h) {
        return new Box(h, new boolean[] {true, true, true});
    }

    @Override
    public double[] h() {
        return h.clone();
    }

    @Override
    public boolean[] periodic() {
        return periodic.clone();
    }

    /** Entry (row, col) of the cell matrix without copying. */
    public double h(int row, int col) {
        return h[3 * row + col];
    }

    /** Whether direction d is periodic. */
    public boolean isPeriodic(int d) {
        return periodic[d];
    }

    /** True when a, b, c are along x, y, z (no tilt). */
    public boolean isOrthogonal() {
        return h[1] == 0 && h[2] == 0 && h[3] == 0 && h[5] == 0 && h[6] == 0 && h[7] == 0;
    }

    /** Cell volume in A^3 (always positive). */
    public double volume() {
        return Math.abs(det(h));
    }

    /** Length of cell vector d. */
    public double length(int d) {
        return Math.sqrt(h[3 * d] * h[3 * d] + h[3 * d + 1] * h[3 * d + 1] + h[3 * d + 2] * h[3 * d + 2]);
    }

    /** Distances between opposite faces: width_d = V / |b x c| etc. */
    public double[] perpendicularWidths() {
        double[] w = new double[3];
        double v = volume();
        for (int d = 0; d < 3; d++) {
            int j = (d + 1) % 3, k = (d + 2) % 3;
            double cx = h[3 * j + 1] * h[3 * k + 2] - h[3 * j + 2] * h[3 * k + 1];
            double cy = h[3 * j + 2] * h[3 * k] - h[3 * j] * h[3 * k + 2];
            double cz = h[3 * j] * h[3 * k + 1] - h[3 * j + 1] * h[3 * k];
            w[d] = v / Math.sqrt(cx * cx + cy * cy + cz * cz);
        }
        return w;
    }

    /** Inverse of h (row-major), so that s = r * inv (row vectors). */
    public double[] inverse() {
        double d = det(h);
        double[] m = h;
        double[] inv = new double[9];
        inv[0] = (m[4] * m[8] - m[5] * m[7]) / d;
        inv[1] = (m[2] * m[7] - m[1] * m[8]) / d;
        inv[2] = (m[1] * m[5] - m[2] * m[4]) / d;
        inv[3] = (m[5] * m[6] - m[3] * m[8]) / d;
        inv[4] = (m[0] * m[8] - m[2] * m[6]) / d;
        inv[5] = (m[2] * m[3] - m[0] * m[5]) / d;
        inv[6] = (m[3] * m[7] - m[4] * m[6]) / d;
        inv[7] = (m[1] * m[6] - m[0] * m[7]) / d;
        inv[8] = (m[0] * m[4] - m[1] * m[3]) / d;
        return inv;
    }

    /** Fractional coordinates of Cartesian (x,y,z) written to out[off..off+2]. */
    public void toFractional(double x, double y, double z, double[] inv, double[] out, int off) {
        out[off] = x * inv[0] + y * inv[3] + z * inv[6];
        out[off + 1] = x * inv[1] + y * inv[4] + z * inv[7];
        out[off + 2] = x * inv[2] + y * inv[5] + z * inv[8];
    }

    /** Cartesian coordinates of fractional (s0,s1,s2) written to out[off..off+2]. */
    public void toCartesian(double s0, double s1, double s2, double[] out, int off) {
        out[off] = s0 * h[0] + s1 * h[3] + s2 * h[6];
        out[off + 1] = s0 * h[1] + s1 * h[4] + s2 * h[7];
        out[off + 2] = s0 * h[2] + s1 * h[5] + s2 * h[8];
    }

    /** Returns a copy of positions (3N, relative to boxlo) wrapped into the cell along periodic directions. */
    public double[] wrap(double[] positions) {
        double[] inv = inverse();
        double[] out = new double[positions.length];
        double[] s = new double[3];
        for (int i = 0; i < positions.length / 3; i++) {
            toFractional(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2], inv, s, 0);
            for (int d = 0; d < 3; d++) {
                if (periodic[d]) {
                    s[d] -= Math.floor(s[d]);
                    if (s[d] >= 1.0) s[d] = 0.0;
                }
            }
            toCartesian(s[0], s[1], s[2], out, 3 * i);
        }
        return out;
    }

    /**
     * Minimum-image displacement in place: d (3 entries at off) becomes the periodic image with every
     * periodic fractional component in [-1/2, 1/2].
     */
    public void minimumImage(double[] d, int off, double[] inv) {
        double s0 = d[off] * inv[0] + d[off + 1] * inv[3] + d[off + 2] * inv[6];
        double s1 = d[off] * inv[1] + d[off + 1] * inv[4] + d[off + 2] * inv[7];
        double s2 = d[off] * inv[2] + d[off + 1] * inv[5] + d[off + 2] * inv[8];
        if (periodic[0]) s0 -= Math.rint(s0);
        if (periodic[1]) s1 -= Math.rint(s1);
        if (periodic[2]) s2 -= Math.rint(s2);
        toCartesian(s0, s1, s2, d, off);
    }

    private static double det(double[] m) {
        return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Box b && Arrays.equals(h, b.h) && Arrays.equals(periodic, b.periodic);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(h) + Arrays.hashCode(periodic);
    }

    @Override
    public String toString() {
        return "Box[h=" + Arrays.toString(h) + ", periodic=" + Arrays.toString(periodic) + "]";
    }
}
