package org.interphase.descriptors;

import java.util.List;
import org.interphase.io.Frame;
import org.interphase.neighbors.CellList;

/** One-hot encoding of the centre atom's element (so clusters do not mix elements by accident). */
public final class CentreSpecies implements Descriptor {
    private final List<String> elements;
    private final DescriptorLayout layout;

    /** One feature per element, in this order: "is_Li" etc.; no neighbours (cutoff 0). */
    public CentreSpecies(List<String> elements) {
        this.elements = List.copyOf(elements);
        this.layout = new DescriptorLayout("species", this.elements.stream().map(e -> "is_" + e).toList(), FeatureGroup.CHEAP, 0.0);
    }

    @Override
    public DescriptorLayout layout() {
        return layout;
    }

    @Override
    public void compute(Frame frame, CellList cells, int centre, double[] out, int offset) {
        String e = frame.elements()[centre];
        for (int k = 0; k < elements.size(); k++) out[offset + k] = elements.get(k).equals(e) ? 1.0 : 0.0;
    }
}
