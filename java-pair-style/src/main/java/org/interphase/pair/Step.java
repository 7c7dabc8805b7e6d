package org.interphase.pair;

import org.interphase.graph.Neighbors;
import org.interphase.graph.NativeMemory;

/**
 * What one compute() call writes to, by raw address: LAMMPS's force, per-atom energy and
 * per-atom virial arrays, the flags of the step, and the atom IDs for messages.
 *
 * @param nb positions, types and neighbour lists
 * @param f double [nall*3]
 * @param eatom double [nall], 0 unless eflagAtom
 * @param vatom double [nall*6], 0 unless vflagAtom
 * @param tag atom IDs [nall] (tagint of tagBytes bytes), 0 if not given
 * @param owner [nall] local atom of each atom when periodic images are folded, else null
 * @param exchange the shim's node-feature exchange (contract-v2 models), null when the shim passed none
 */
record Step(Neighbors nb, long f, long eatom, long vatom, boolean eflag, boolean eflagAtom, boolean vflag,
            boolean vflagAtom, long tag, int tagBytes, long step, int[] owner, Exchange exchange) {

    /** The LAMMPS atom ID of atom index i, or -1 when LAMMPS gave no tags. */
    long atomId(int i) {
        if (tag == 0 || i < 0 || i >= nb.nall()) {
            return -1;
        }
        return tagBytes == 8 ? NativeMemory.getLong(tag, i) : NativeMemory.getInt(tag, i);
    }

    /** "ID 17" (or "index 3" without tags), for messages. */
    String describe(int i) {
        long id = atomId(i);
        return id >= 0 ? "ID " + id : "index " + i;
    }
}
