package org.interphase.pair;

/**
 * What pair_coeff hands back to LAMMPS.
 *
 * @param hops the largest interphase.hops of the models
 * @param rMax the largest interphase.r_max, Angstrom
 * @param ghostReach the ghost shell the models need, Angstrom: the largest hops x r_max, or the
 *        largest r_max when periodic images are folded (one rank) or node features are exchanged
 *        between layers (contract v2)
 * @param ghostLists true when the models need LAMMPS's neighbour lists of ghost atoms (hops &gt; 1
 *        without folding)
 * @param typeCutoff [(ntypes+1)^2] row-major cutoffs per LAMMPS type pair, the largest of the
 *        models, 0 where unmapped
 * @param members models in the committee (1 = a single model)
 * @param deviation the deviation output settings (acted on only when members &gt; 1)
 * @param warning one line for the LAMMPS log, empty if none
 * @param exchangeWidth the widest node-feature row a contract-v2 model exchanges between layers, 0 if none
 */
public record CoeffResult(int hops, double rMax, double ghostReach, boolean ghostLists, double[] typeCutoff, int members,
                          PairSettings.Deviation deviation, String warning, int exchangeWidth) {
    public CoeffResult {
        typeCutoff = typeCutoff.clone();
    }
}
