package org.interphase.descriptors;

import java.util.List;
import java.util.Objects;

/**
 * The static description of a {@link Descriptor}: its short name, its feature names in output order, the block the
 * features belong to and the neighbour cutoff it needs. Immutable; a descriptor builds it once, in its constructor.
 *
 * @param name         short name used in headers and reports
 * @param featureNames one name per feature, in output order, as in the output tables
 * @param group        the block the features belong to, for weighting
 * @param cutoff       cutoff radius in Angstrom (0 for a descriptor of the centre atom alone)
 */
public record DescriptorLayout(String name, List<String> featureNames, FeatureGroup group, double cutoff) {
    /** @throws IllegalArgumentException for a blank name, no group, or a cutoff that is negative or not finite */
    public DescriptorLayout {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a descriptor needs a name");
        featureNames = List.copyOf(featureNames);
        Objects.requireNonNull(group, "feature group of " + name);
        if (!(cutoff >= 0) || !Double.isFinite(cutoff)) {
            throw new IllegalArgumentException(name + " cutoff must be a finite number >= 0 A, got " + cutoff);
        }
    }

    /** Number of features written per atom: the number of feature names. */
    public int dimension() {
        return featureNames.size();
    }
}
