package org.interphase.neighbors;

import org.interphase.io.Box;

/**
 * Cell-list neighbour search for orthogonal and triclinic cells, periodic or not per direction.
 *
 * <p>Atoms are binned in fractional coordinates; the number of bins along cell vector d is
 * floor(width_d / cutoff) where width_d is the perpendicular distance between the faces spanned by
 * the other two vectors, so a pair within the cutoff is always in the same or an adjacent bin
 * (|ds_d| <= r/width_d). The cutoff must not exceed half the smallest perpendicular width of a periodic
 * direction, so each pair has at most one periodic image inside the cutoff; that image is the one
 * whose periodic fractional components are all in [-1/2, 1/2]. Neighbours satisfy r2 &lt; cutoff^2; the
 * centre itself is excluded. Immutable after construction and safe for concurrent queries.
 */
public final class CellList {
    private final Box box;
    private final double[] positions;
    private final double cutoff;
    private final double cutoff2;
    private final int n;
    private final double[] inv;
    private final double[] frac;      // fractional coordinates, wrapped along periodic directions
    private final int[] nb = new int[3];
    private final double[] lo = new double[3];
    private final double[] binWidth = new double[3]; // in fractional units
    private final int[] cellStart;    // size ncell+1
    private final int[] cellAtoms;    // atoms sorted by cell
    private final int[] atomCell;
    private final int[][] stencil;    // per direction: offsets to visit (deduplicated when nb < 3)

    /**
     * Builds the cell list.
     *
     * @param box       cell
     * @param positions 3N Cartesian coordinates relative to boxlo (not modified, not copied)
     * @param cutoff    neighbour cutoff in Angstrom (> 0)
     * @throws IllegalArgumentException if the cutoff is larger than half the box width of a periodic direction
     */
    public CellList(Box box, double[] positions, double cutoff) {
        if (!(cutoff > 0) || !Double.isFinite(cutoff)) {
            throw new IllegalArgumentException("r_cut " + cutoff + " must be a positive number");
        }
        if (positions.length % 3 != 0) throw new IllegalArgumentException("positions length is not a multiple of 3");
        this.box = box;
        this.positions = positions;
        this.cutoff = cutoff;
        this.cutoff2 = cutoff * cutoff;
        this.n = positions.length / 3;
        double[] w = box.perpendicularWidths();
        for (int d = 0; d < 3; d++) {
            if (box.isPeriodic(d) && cutoff > 0.5 * w[d]) {
                throw new IllegalArgumentException(String.format(
                        "r_cut %.4g A larger than half the box width %.4g A along cell vector %d (width %.4g A): "
                                + "use a smaller cutoff or replicate the cell",
                        cutoff, 0.5 * w[d], d, w[d]));
            }
        }
        this.inv = box.inverse();
        this.frac = new double[3 * n];
        double[] hi = new double[3];
        for (int d = 0; d < 3; d++) {
            lo[d] = Double.POSITIVE_INFINITY;
            hi[d] = Double.NEGATIVE_INFINITY;
        }
        for (int i = 0; i < n; i++) {
            double x = positions[3 * i], y = positions[3 * i + 1], z = positions[3 * i + 2];
            if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(z)) {
                throw new IllegalArgumentException("atom " + i + " has a non-finite position");
            }
            box.toFractional(x, y, z, inv, frac, 3 * i);
            for (int d = 0; d < 3; d++) {
                double s = frac[3 * i + d];
                if (box.isPeriodic(d)) {
                    s -= Math.floor(s);
                    if (s >= 1.0) s = 0.0;
                    frac[3 * i + d] = s;
                } else {
                    lo[d] = Math.min(lo[d], s);
                    hi[d] = Math.max(hi[d], s);
                }
            }
        }
        stencil = new int[3][];
        for (int d = 0; d < 3; d++) {
            double span;
            if (box.isPeriodic(d)) {
                lo[d] = 0.0;
                span = 1.0;
            } else {
                if (n == 0) {
                    lo[d] = 0.0;
                    hi[d] = 1.0;
                }
                span = Math.max(hi[d] - lo[d], 1e-12);
            }
            double spanLength = span * w[d];
            int bins = (int) Math.floor(spanLength / cutoff);
            bins = Math.max(1, Math.min(bins, 1 << 10));
            nb[d] = bins;
            binWidth[d] = span / bins;
            if (box.isPeriodic(d) && bins < 3) {
                stencil[d] = bins == 1 ? new int[] {0} : new int[] {0, 1};
            } else {
                stencil[d] = new int[] {-1, 0, 1};
            }
        }
        long ncellL = (long) nb[0] * nb[1] * nb[2];
        while (ncellL > Math.max(8L * n, 1000L)) { // keep memory bounded for sparse non-periodic clouds
            int dmax = nb[0] >= nb[1] && nb[0] >= nb[2] ? 0 : (nb[1] >= nb[2] ? 1 : 2);
            nb[dmax] = Math.max(1, nb[dmax] / 2);
            binWidth[dmax] = (box.isPeriodic(dmax) ? 1.0 : Math.max(hi[dmax] - lo[dmax], 1e-12)) / nb[dmax];
            if (box.isPeriodic(dmax) && nb[dmax] < 3) stencil[dmax] = nb[dmax] == 1 ? new int[] {0} : new int[] {0, 1};
            ncellL = (long) nb[0] * nb[1] * nb[2];
        }
        int ncell = (int) ncellL;
        atomCell = new int[n];
        cellStart = new int[ncell + 1];
        for (int i = 0; i < n; i++) {
            int c = cellIndex(bin(i, 0), bin(i, 1), bin(i, 2));
            atomCell[i] = c;
            cellStart[c + 1]++;
        }
        for (int c = 0; c < ncell; c++) cellStart[c + 1] += cellStart[c];
        cellAtoms = new int[n];
        int[] fill = new int[ncell];
        for (int i = 0; i < n; i++) {
            int c = atomCell[i];
            cellAtoms[cellStart[c] + fill[c]++] = i;
        }
    }

    private int bin(int i, int d) {
        int b = (int) Math.floor((frac[3 * i + d] - lo[d]) / binWidth[d]);
        if (b < 0) b = 0;
        if (b >= nb[d]) b = nb[d] - 1;
        return b;
    }

    private int cellIndex(int a, int b, int c) {
        return (a * nb[1] + b) * nb[2] + c;
    }

    /** The cutoff in Angstrom. */
    public double cutoff() {
        return cutoff;
    }

    /** The box this list was built for. */
    public Box box() {
        return box;
    }

    /** Number of atoms. */
    public int size() {
        return n;
    }

    /** Visits every atom j != i with |r_j - r_i| &lt; cutoff (under the periodic image within the cutoff). */
    public void forEachNeighbor(int i, NeighborVisitor v) {
        int c = atomCell[i];
        int ci0 = c / (nb[1] * nb[2]);
        int ci1 = (c / nb[2]) % nb[1];
        int ci2 = c % nb[2];
        double si0 = frac[3 * i], si1 = frac[3 * i + 1], si2 = frac[3 * i + 2];
        boolean p0 = box.isPeriodic(0), p1 = box.isPeriodic(1), p2 = box.isPeriodic(2);
        double h00 = box.h(0, 0), h01 = box.h(0, 1), h02 = box.h(0, 2);
        double h10 = box.h(1, 0), h11 = box.h(1, 1), h12 = box.h(1, 2);
        double h20 = box.h(2, 0), h21 = box.h(2, 1), h22 = box.h(2, 2);
        for (int o0 : stencil[0]) {
            int a = ci0 + o0;
            if (a < 0 || a >= nb[0]) {
                if (!p0) continue;
                a = Math.floorMod(a, nb[0]);
            }
            for (int o1 : stencil[1]) {
                int b = ci1 + o1;
                if (b < 0 || b >= nb[1]) {
                    if (!p1) continue;
                    b = Math.floorMod(b, nb[1]);
                }
                for (int o2 : stencil[2]) {
                    int cc = ci2 + o2;
                    if (cc < 0 || cc >= nb[2]) {
                        if (!p2) continue;
                        cc = Math.floorMod(cc, nb[2]);
                    }
                    int cell = cellIndex(a, b, cc);
                    for (int k = cellStart[cell], end = cellStart[cell + 1]; k < end; k++) {
                        int j = cellAtoms[k];
                        if (j == i) continue;
                        double d0 = frac[3 * j] - si0, d1 = frac[3 * j + 1] - si1, d2 = frac[3 * j + 2] - si2;
                        if (p0) d0 -= Math.rint(d0);
                        if (p1) d1 -= Math.rint(d1);
                        if (p2) d2 -= Math.rint(d2);
                        double dx = d0 * h00 + d1 * h10 + d2 * h20;
                        double dy = d0 * h01 + d1 * h11 + d2 * h21;
                        double dz = d0 * h02 + d1 * h12 + d2 * h22;
                        double r2 = dx * dx + dy * dy + dz * dz;
                        if (r2 < cutoff2) v.visit(j, dx, dy, dz, r2);
                    }
                }
            }
        }
    }
}
