package org.interphase.structure;

/**
 * Numbers describing a built Li | Li6PS5Cl | Li cell (all lengths in Angstrom, z measured from boxlo).
 * The stack along z is: gap/2, Li slab [metalZlo, metalZhi], gap, electrolyte slab [electrolyteZlo,
 * electrolyteZhi], gap/2; with periodic z there are two interfaces, at {@link #upperInterfaceZ()} and at
 * z = 0 (= lz).
 *
 * @param lx               box length x (= nx * a_electrolyte)
 * @param ly               box length y
 * @param lz               box length z
 * @param nx               electrolyte cells along x
 * @param ny               electrolyte cells along y
 * @param electrolyteCells electrolyte cells along z
 * @param liCellsX         bcc Li cells along x
 * @param liCellsY         bcc Li cells along y
 * @param metalCells       bcc Li cells along z (2 atomic planes each)
 * @param metalStrainX     lateral strain of the Li along x (a_x / a_Li - 1; negative = compressed)
 * @param metalStrainY     lateral strain of the Li along y
 * @param metalZlo         z of the lowest Li plane
 * @param metalZhi         z of the highest Li plane
 * @param electrolyteZlo   z of the lowest electrolyte atom
 * @param electrolyteZhi   z of the highest electrolyte atom
 * @param gap              interlayer gap
 * @param metalAtoms       metal atoms; they have ids 1..metalAtoms
 * @param electrolyteAtoms electrolyte atoms; ids metalAtoms+1..metalAtoms+electrolyteAtoms
 */
public record InterfaceGeometry(double lx, double ly, double lz, int nx, int ny, int electrolyteCells, int liCellsX,
                                int liCellsY, int metalCells, double metalStrainX, double metalStrainY, double metalZlo,
                                double metalZhi, double electrolyteZlo, double electrolyteZhi, double gap, int metalAtoms,
                                int electrolyteAtoms) {

    /** Total number of atoms. */
    public int atoms() {
        return metalAtoms + electrolyteAtoms;
    }

    /** z of the interface between the top of the metal and the bottom of the electrolyte (mid-gap). */
    public double upperInterfaceZ() {
        return 0.5 * (metalZhi + electrolyteZlo);
    }

    /** Smaller of the two lateral box lengths. */
    public double minLateral() {
        return Math.min(lx, ly);
    }
}
