package org.interphase.descriptors;

import java.util.List;
import org.interphase.io.Frame;
import org.interphase.neighbors.CellList;

/**
 * Species-resolved coordination numbers: feature k is sum over neighbours j of element k of f(r_ij), with
 * f = 1 for r &lt;= rOn, f = (1 + cos(pi (r - rOn)/(rCut - rOn)))/2 for rOn &lt; r &lt; rCut, 0 beyond. With
 * rOn == rCut this is the hard count of neighbours closer than rCut.
 */
public final class CoordinationNumbers implements Descriptor {
    private final List<String> elements;
    private final double rOn;
    private final double rCut;
    private final DescriptorLayout layout;

    /**
     * @param elements neighbour elements, one feature each, in this order
     * @param rOn      start of the switching region (Angstrom)
     * @param rCut     cutoff (Angstrom), >= rOn
     */
    public CoordinationNumbers(List<String> elements, double rOn, double rCut) {
        checkCutoffs("coordination", rOn, rCut);
        this.elements = List.copyOf(elements);
        this.rOn = rOn;
        this.rCut = rCut;
        this.layout = new DescriptorLayout("cn", this.elements.stream().map(e -> "cn_" + e).toList(), FeatureGroup.CHEAP, rCut);
    }

    /** Checks 0 &lt; rOn &lt;= rCut of a switched cutoff; {@code what} names the descriptor in the message. */
    static void checkCutoffs(String what, double rOn, double rCut) {
        if (!(rCut > 0) || !(rOn > 0) || rOn > rCut) {
            throw new IllegalArgumentException(what + " cutoffs need 0 < r_on <= r_cut, got r_on=" + rOn + " r_cut=" + rCut);
        }
    }

    /** Switching function value at distance r. */
    public double switching(double r) {
        return switching(r, rOn, rCut);
    }

    /** The switching function (see the class comment) with start rOn and cutoff rCut at distance r. */
    static double switching(double r, double rOn, double rCut) {
        if (r <= rOn) return 1.0;
        if (r >= rCut) return 0.0;
        return 0.5 * (1.0 + Math.cos(Math.PI * (r - rOn) / (rCut - rOn)));
    }

    /** Features "cn_Li" etc., cutoff rCut. */
    @Override
    public DescriptorLayout layout() {
        return layout;
    }

    @Override
    public void compute(Frame frame, CellList cells, int centre, double[] out, int offset) {
        String[] el = frame.elements();
        int m = elements.size();
        for (int k = 0; k < m; k++) out[offset + k] = 0.0;
        double rc2 = rCut * rCut;
        cells.forEachNeighbor(centre, (j, dx, dy, dz, r2) -> {
            if (r2 >= rc2) return;
            int k = elements.indexOf(el[j]);
            if (k < 0) return;
            out[offset + k] += switching(Math.sqrt(r2));
        });
    }
}
