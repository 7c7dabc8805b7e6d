package org.interphase.phases;

import java.io.IOException;
import java.util.List;
import org.interphase.io.Frame;

/**
 * Where the reference environments of the phase labels come from: snapshots of a supercell of each reference crystal
 * with the site of every atom. {@link ReferenceRattle} rattles the ideal crystal (harmonic amplitudes at a
 * temperature, or fixed ones); {@link MdReferences} samples a short MD of it with the trajectory's own potential.
 */
public interface ReferenceEnvironments {

    /** One snapshot of a reference supercell: the frame and the site label of each of its atoms. */
    record Snapshot(Frame frame, String[] sites) {
    }

    /**
     * Snapshots of a supercell of the crystal whose perpendicular widths are all at least {@code minWidth}.
     *
     * @param seed random seed of the sampling
     * @throws IOException when sampling needs files that cannot be read or written
     */
    List<Snapshot> snapshots(ReferenceCrystal crystal, double minWidth, long seed) throws IOException;

    /**
     * Called once with every crystal before {@link #snapshots}: a sampler that runs external jobs may start them
     * together here. The default does nothing.
     */
    default void prepare(List<ReferenceCrystal> crystals, double minWidth, long seed) throws IOException {
    }

    /** One line for the report: how the references were sampled. */
    String describe();
}
