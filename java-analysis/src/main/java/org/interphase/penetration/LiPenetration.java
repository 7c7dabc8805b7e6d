package org.interphase.penetration;

import java.util.Arrays;

import org.interphase.io.Frame;
import org.interphase.io.InputException;

/**
 * How far Li atoms that started in the metal slab have moved into the electrolyte, frame by frame.
 *
 * <p>Each metal atom (ids 1..metalAtoms) is followed along z with its displacement unwrapped across the periodic
 * boundary (minimum image between consecutive frames, valid while no atom moves more than lz/2 between frames).
 * Its penetration depth is how far it lies beyond the as-built metal slab: d = max(0, z - metalZhi, metalZlo - z),
 * i.e. past the upper surface into the electrolyte above, or past the lower surface into the periodic image of the
 * electrolyte below. An atom has crossed the interface when d &gt; gap/2 (the mid-gap plane). Not thread-safe.
 */
public final class LiPenetration {
    private final CellGeometry cell;
    private double[] prevZ;
    private double[] unwrapped;
    private int frames;

    /** One frame's statistics (depths in Angstrom). */
    public record Sample(long step, double time, double maxDepth, double p95Depth, double p99Depth, int crossed,
                         int metalAtoms) {
        /** Fraction of metal atoms past the interface plane. */
        public double crossedFraction() {
            return metalAtoms == 0 ? 0 : (double) crossed / metalAtoms;
        }
    }

    /** Tracker for the cell described by {@code cell}. */
    public LiPenetration(CellGeometry cell) {
        this.cell = cell;
    }

    /**
     * Adds the next frame (frames in time order).
     *
     * @throws InputException when the frame does not match the cell (atom count, metal atoms not Li)
     */
    public Sample accept(Frame f) {
        int n = cell.metalAtoms();
        if (f.size() != cell.atoms()) {
            throw new InputException("frame at step " + f.step() + " has " + f.size() + " atoms but the cell file says "
                    + cell.atoms() + ": pass the .properties file of the cell this run started from");
        }
        double lz = f.box().h(2, 2);
        if (prevZ == null) {
            prevZ = new double[n];
            unwrapped = new double[n];
            double centre = 0.5 * (cell.metalZlo() + cell.metalZhi());
            for (int i = 0; i < n; i++) {
                if (!"Li".equals(f.elements()[i])) {
                    throw new InputException("atom id " + (i + 1) + " is " + f.elements()[i] + ", but ids 1.." + n
                            + " should be the Li metal slab: wrong --cell file or --types order");
                }
                double z = f.x(i, 2);
                prevZ[i] = z;
                double dz = z - centre;
                unwrapped[i] = centre + dz - lz * Math.rint(dz / lz);
            }
        } else {
            for (int i = 0; i < n; i++) {
                double z = f.x(i, 2);
                double dz = z - prevZ[i];
                unwrapped[i] += dz - lz * Math.rint(dz / lz);
                prevZ[i] = z;
            }
        }
        frames++;
        double[] depth = new double[n];
        int crossed = 0;
        double half = 0.5 * cell.gap();
        for (int i = 0; i < n; i++) {
            double z = unwrapped[i];
            double d = Math.max(0.0, Math.max(z - cell.metalZhi(), cell.metalZlo() - z));
            depth[i] = d;
            if (d > half) crossed++;
        }
        Arrays.sort(depth);
        return new Sample(f.step(), f.time(), n == 0 ? 0 : depth[n - 1], percentile(depth, 0.95), percentile(depth, 0.99),
                crossed, n);
    }

    /** Frames seen so far. */
    public int frames() {
        return frames;
    }

    /** Linear-interpolated percentile (numpy's default "linear" method) of sorted values. */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) return 0;
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
