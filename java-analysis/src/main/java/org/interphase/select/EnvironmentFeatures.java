package org.interphase.select;

import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.interphase.descriptors.DescriptorOptions;
import org.interphase.descriptors.Descriptors;
import org.interphase.descriptors.FeatureComputer;
import org.interphase.io.Frame;
import org.interphase.io.InputException;

/**
 * The descriptor vector of a frame used to spread a capped selection over local environments, built from the cheap
 * descriptors of {@code interphase analyze} (centre species one-hot, species-resolved coordination numbers,
 * Steinhardt q4 and q6; {@link Descriptors#open} with {@link DescriptorOptions#cheap}). With per-atom deviations it is the descriptor of the
 * frame's most uncertain atom; without them, for each element in turn, the element's atom fraction followed by the
 * mean coordination numbers, q4 and q6 over the atoms of that element (zeros when the frame has none).
 */
public final class EnvironmentFeatures {
    private final FeatureComputer fc;
    private final List<String> elements;

    /**
     * @param elements element order of the features
     * @param cn       coordination switching start and cutoff (A)
     * @param q        Steinhardt weight start and cutoff (A)
     */
    public EnvironmentFeatures(List<String> elements, double[] cn, double[] q, ForkJoinPool pool) {
        this.elements = List.copyOf(elements);
        this.fc = Descriptors.open(DescriptorOptions.cheap(cn[0], cn[1], q[0], q[1]), this.elements, pool);
    }

    /** Length of {@link #ofAtom}. */
    public int atomDimension() {
        return fc.dimension();
    }

    /** Length of {@link #ofFrame}. */
    public int frameDimension() {
        return elements.size() * (1 + fc.dimension() - elements.size());
    }

    /** The descriptor of atom {@code centre} (0-based) of {@code f}. */
    public double[] ofAtom(Frame f, int centre) {
        try {
            return fc.compute(f, new int[] {centre});
        } catch (IllegalArgumentException e) {
            throw cutoff(f, e);
        }
    }

    /** The per-element mean descriptor of {@code f}. */
    public double[] ofFrame(Frame f) {
        double[] all;
        try {
            all = fc.compute(f);
        } catch (IllegalArgumentException e) {
            throw cutoff(f, e);
        }
        int e = elements.size(), d = fc.dimension(), rest = d - e;
        double[] out = new double[frameDimension()];
        String[] el = f.elements();
        for (int s = 0; s < e; s++) {
            int count = 0;
            int off = s * (1 + rest);
            for (int i = 0; i < f.size(); i++) {
                if (!elements.get(s).equals(el[i])) continue;
                count++;
                for (int k = 0; k < rest; k++) out[off + 1 + k] += all[i * d + e + k];
            }
            out[off] = (double) count / f.size();
            if (count > 0) for (int k = 0; k < rest; k++) out[off + 1 + k] /= count;
        }
        return out;
    }

    private static InputException cutoff(Frame f, IllegalArgumentException e) {
        return new InputException("descriptors of the frame at step " + f.step() + ": " + e.getMessage()
                + " (--cn-cutoff, --q-cutoff)", e);
    }
}
