package org.interphase.io;

import java.util.Arrays;

/**
 * One snapshot of a trajectory, atoms sorted by atom id.
 *
 * @param step      MD step
 * @param time      simulation time (dump units; ps for LAMMPS metal units)
 * @param box       simulation cell
 * @param positions 3N Cartesian coordinates in Angstrom relative to boxlo (x0,y0,z0,x1,...)
 * @param types     N LAMMPS type ids
 * @param elements  N element symbols after the type-to-element mapping
 *
 * <p>Arrays are owned by the frame and must not be modified after construction (not copied, for speed).
 */
public record Frame(long step, double time, Box box, double[] positions, int[] types, String[] elements) {

    /** Checks consistent sizes. */
    public Frame {
        if (box == null || positions == null || types == null || elements == null) {
            throw new IllegalArgumentException("frame fields must not be null");
        }
        if (positions.length != 3 * types.length || elements.length != types.length) {
            throw new IllegalArgumentException("frame arrays disagree: " + positions.length / 3 + " positions, "
                    + types.length + " types, " + elements.length + " elements");
        }
    }

    /** Number of atoms. */
    public int size() {
        return types.length;
    }

    /** Coordinate d (0..2) of atom i. */
    public double x(int i, int d) {
        return positions[3 * i + d];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && step == f.step && Double.compare(time, f.time) == 0 && box.equals(f.box)
                && Arrays.equals(positions, f.positions) && Arrays.equals(types, f.types)
                && Arrays.equals(elements, f.elements);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(step) * 31 + Arrays.hashCode(types);
    }

    @Override
    public String toString() {
        return "Frame[step=" + step + ", time=" + time + ", atoms=" + size() + ", box=" + box + "]";
    }
}
