package org.interphase.graph;

/**
 * LAMMPS's arrays of one step, by raw address (read in place, never copied): positions, types
 * and the full neighbour list, indexed by atom index 0..nall-1 (local atoms first).
 *
 * @param x double [nall*3]
 * @param type int [nall], 1..ntypes
 * @param numneigh int, indexed by atom index
 * @param firstneigh int* per atom index
 * @param nlocal local atoms
 * @param nall local plus ghost atoms
 * @param ghostLists true when ghost atoms have neighbour lists too (REQ_GHOST, hops &gt; 1)
 */
public record Neighbors(long x, long type, long numneigh, long firstneigh, int nlocal, int nall,
                        boolean ghostLists) {
    public Neighbors {
        if (nall > 0 && (x == 0 || type == 0)) {
            throw new IllegalArgumentException("compute args: x or type is NULL with nall=" + nall);
        }
        if (nlocal > 0 && (numneigh == 0 || firstneigh == 0)) {
            throw new IllegalArgumentException("compute args: the neighbor list pointers are NULL");
        }
        if (nlocal < 0 || nlocal > nall) {
            throw new IllegalArgumentException("compute args: inconsistent counts nlocal=" + nlocal + " nall=" + nall);
        }
    }
}
