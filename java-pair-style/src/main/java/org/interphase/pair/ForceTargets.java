package org.interphase.pair;

import java.lang.foreign.Arena;
import org.interphase.graph.NativeMemory;

/**
 * Where one worker adds forces and per-atom virials in a step: worker 0 straight into LAMMPS's
 * arrays, every other worker into private arrays (zeroed each step) that {@link #reduceInto}
 * adds to LAMMPS's afterwards, in worker order, so sums are bitwise reproducible.
 * Optionally also a private per-atom row block of {@code rowWidth} doubles (gradients).
 */
final class ForceTargets implements AutoCloseable {
    private final boolean shared;
    private final int rowWidth;
    private Arena arena;
    private long capacity;
    private long fPrivate;
    private long vPrivate;
    private long rowsPrivate;
    private int nall;
    private boolean vUsed;

    /** Force target of this step (LAMMPS's f or the private copy). */
    long f;
    /** Per-atom virial target of this step, 0 when not wanted. */
    long vatom;

    /**
     * @param shared true for worker 0 (adds into LAMMPS's arrays)
     * @param rowWidth doubles per atom of the private row block (0 = none)
     */
    ForceTargets(boolean shared, int rowWidth) {
        this.shared = shared;
        this.rowWidth = rowWidth;
    }

    /** Points the targets at this step's arrays, zeroing the private ones. */
    void prepare(Step st) {
        nall = st.nb().nall();
        if (shared) {
            f = st.f();
            vatom = st.vflagAtom() ? st.vatom() : 0;
            return;
        }
        if (arena == null || capacity < nall) {
            if (arena != null) {
                arena.close();
            }
            capacity = nall + nall / 8 + 16;
            arena = Arena.ofShared();
            fPrivate = arena.allocate(24L * capacity, 64).address();
            vPrivate = arena.allocate(48L * capacity, 64).address();
            rowsPrivate = rowWidth > 0 ? arena.allocate(8L * capacity * rowWidth, 64).address() : 0;
        }
        NativeMemory.ALL.asSlice(fPrivate, 24L * nall).fill((byte) 0);
        f = fPrivate;
        vUsed = st.vflagAtom();
        if (vUsed) {
            NativeMemory.ALL.asSlice(vPrivate, 48L * nall).fill((byte) 0);
        }
        vatom = vUsed ? vPrivate : 0;
    }

    /** The private row block (workers other than 0), or {@code sharedRows} for worker 0. */
    long rows(long sharedRows) {
        return shared ? sharedRows : rowsPrivate;
    }

    /** Adds the private forces and per-atom virials to LAMMPS's arrays (nothing for worker 0). */
    void reduceInto(Step st) {
        if (shared) {
            return;
        }
        NativeMemory.addInto(st.f(), fPrivate, 3L * nall);
        if (vUsed && st.vflagAtom()) {
            NativeMemory.addInto(st.vatom(), vPrivate, 6L * nall);
        }
    }

    /** Off-heap bytes held. */
    long bytes() {
        return arena == null ? 0 : capacity * (72L + 8L * rowWidth);
    }

    /** Frees the private arrays (idempotent). */
    @Override
    public void close() {
        if (arena != null) {
            arena.close();
            arena = null;
        }
        capacity = 0;
    }
}
