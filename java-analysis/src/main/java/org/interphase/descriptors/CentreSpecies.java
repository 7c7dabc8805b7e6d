package org.interphase.descriptors;

import java.util.List;
import org.interphase.io.Frame;
import org.interphase.neighbors.CellList;

/** One-hot encoding of the centre atom's element (so clusters do not mix elements by accident). */
public final class CentreSpecies implements Descriptor {
    private final List<String> elements;

    /** One feature per element, in this order. */
    public CentreSpecies(List<String> elements) {
        this.elements = List.copyOf(elements);
    }

    @Override
    public int dimension() {
        return elements.size();
    }

    @Override
    public String name() {
        return "species";
    }

    /** Feature names "is_Li" etc. */
    @Override
    public List<String> featureNames() {
        return elements.stream().map(e -> "is_" + e).toList();
    }

    @Override
    public FeatureGroup group() {
        return FeatureGroup.CHEAP;
    }

    @Override
    public double cutoff() {
        return 0.0;
    }

    @Override
    public void compute(Frame frame, CellList cells, int centre, double[] out, int offset) {
        String e = frame.elements()[centre];
        for (int k = 0; k < elements.size(); k++) out[offset + k] = elements.get(k).equals(e) ? 1.0 : 0.0;
    }
}
