package org.interphase.descriptors;

import org.interphase.io.Frame;
import org.interphase.neighbors.CellList;

/**
 * A descriptor computed for all atoms of a frame at once (e.g. by one model evaluation) rather than
 * centre by centre. {@link FeatureComputer} calls {@link #computeFrame} once per frame, never
 * {@link #compute}.
 */
public interface FrameDescriptor extends Descriptor {
    /**
     * Writes the features of every atom: atom i's go to out[i * stride + offset ..].
     *
     * @param cells a cell list of the frame with at least {@link #cutoff()}
     */
    void computeFrame(Frame frame, CellList cells, double[] out, int stride, int offset);

    @Override
    default void compute(Frame frame, CellList cells, int centre, double[] out, int offset) {
        throw new UnsupportedOperationException(name() + " is computed per frame (computeFrame)");
    }
}
