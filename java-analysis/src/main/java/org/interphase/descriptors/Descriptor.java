package org.interphase.descriptors;

import java.util.List;
import org.interphase.io.Frame;
import org.interphase.neighbors.CellList;

/**
 * A per-atom local-environment descriptor of fixed length. Implementations must be thread-safe:
 * {@link #compute} is called concurrently for different centres of the same frame. New descriptors of
 * {@code interphase analyze} are registered in {@link Descriptors}. An implementation builds its
 * {@link DescriptorLayout} once (in its constructor); the accessors below read it.
 */
public interface Descriptor {
    /** Name, feature names, group and cutoff of this descriptor. */
    DescriptorLayout layout();

    /** Number of features written per atom. */
    default int dimension() {
        return layout().dimension();
    }

    /** Short name used in headers and reports. */
    default String name() {
        return layout().name();
    }

    /** One name per feature, in output order, as they appear in the output tables (size {@link #dimension()}). */
    default List<String> featureNames() {
        return layout().featureNames();
    }

    /** The block the features belong to, for weighting. */
    default FeatureGroup group() {
        return layout().group();
    }

    /** Writes the {@link #dimension()} features of atom {@code centre} into out[offset..]. */
    void compute(Frame frame, CellList cells, int centre, double[] out, int offset);

    /** Cutoff radius in Angstrom; the cell list passed to {@link #compute} has at least this cutoff. */
    default double cutoff() {
        return layout().cutoff();
    }
}
