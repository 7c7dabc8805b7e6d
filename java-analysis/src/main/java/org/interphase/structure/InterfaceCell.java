package org.interphase.structure;

import java.util.Arrays;

/**
 * A built interface cell: geometry plus atoms. Types are 1 = Li, 2 = P, 3 = S, 4 = Cl (the order of
 * {@code pair_coeff * * model.onnx Li P S Cl}). Metal atoms come first.
 *
 * @param geometry  sizes and slab positions
 * @param types     LAMMPS type of each atom (1..4)
 * @param positions 3N Cartesian coordinates in Angstrom, inside [0, L) along each axis
 */
public record InterfaceCell(InterfaceGeometry geometry, int[] types, double[] positions) {
    /** Element of each LAMMPS type; index 0 unused. */
    public static final String[] TYPE_ELEMENTS = {null, "Li", "P", "S", "Cl"};
    /** Standard atomic weights (IUPAC, conventional values) of the types; index 0 unused. */
    public static final double[] TYPE_MASSES = {0, 6.94, 30.973762, 32.06, 35.45};

    /** Validates sizes (arrays are not copied: the builder hands them over). */
    public InterfaceCell {
        if (positions.length != 3 * types.length || types.length != geometry.atoms()) {
            throw new IllegalArgumentException("interface cell arrays disagree with its geometry");
        }
    }

    /** LAMMPS type of an element symbol. */
    public static int typeOf(String element) {
        for (int t = 1; t < TYPE_ELEMENTS.length; t++) if (TYPE_ELEMENTS[t].equals(element)) return t;
        throw new IllegalArgumentException("element " + element + " is not one of Li P S Cl");
    }

    /** Number of atoms. */
    public int size() {
        return types.length;
    }

    /** Count of atoms per type; index 0 unused. */
    public int[] typeCounts() {
        int[] c = new int[TYPE_ELEMENTS.length];
        for (int t : types) c[t]++;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InterfaceCell c && geometry.equals(c.geometry) && Arrays.equals(types, c.types)
                && Arrays.equals(positions, c.positions);
    }

    @Override
    public int hashCode() {
        return geometry.hashCode();
    }

    @Override
    public String toString() {
        return "InterfaceCell[" + geometry + "]";
    }
}
