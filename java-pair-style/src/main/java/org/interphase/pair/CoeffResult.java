package org.interphase.pair;

/**
 * What pair_coeff hands back to LAMMPS.
 *
 * @param hops interphase.hops of the model
 * @param rMax interphase.r_max in Angstrom
 * @param typeCutoff [(ntypes+1)^2] row-major cutoffs per LAMMPS type pair, 0 where unmapped
 */
public record CoeffResult(int hops, double rMax, double[] typeCutoff) {
    public CoeffResult {
        typeCutoff = typeCutoff.clone();
    }
}
