package org.interphase.descriptors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.interphase.io.Frame;
import org.interphase.neighbors.CellList;

/**
 * Concatenates descriptors and computes them for every atom of a frame in parallel (one cell list per frame
 * with the largest cutoff). Feature names and groups come from the descriptors. The pool is owned by the caller;
 * the descriptors are owned by this computer: {@link #close} closes those that hold resources.
 */
public final class FeatureComputer implements AutoCloseable {
    private final List<Descriptor> descriptors;
    private final List<String> names;
    private final FeatureGroup[] groups;
    private final int dimension;
    private final double cutoff;
    private final ForkJoinPool pool;

    /**
     * @param descriptors descriptors in feature order
     * @param pool        pool to run in (e.g. ForkJoinPool.commonPool())
     */
    public FeatureComputer(List<Descriptor> descriptors, ForkJoinPool pool) {
        this.descriptors = List.copyOf(descriptors);
        List<String> featureNames = new ArrayList<>();
        List<FeatureGroup> featureGroups = new ArrayList<>();
        double rc = 0;
        for (Descriptor x : descriptors) {
            DescriptorLayout l = x.layout(); // its dimension is its number of feature names
            featureNames.addAll(l.featureNames());
            for (int k = 0; k < l.dimension(); k++) featureGroups.add(l.group());
            rc = Math.max(rc, l.cutoff());
        }
        this.names = List.copyOf(featureNames);
        this.groups = featureGroups.toArray(new FeatureGroup[0]);
        this.dimension = names.size();
        this.cutoff = rc;
        this.pool = pool;
    }

    /** Closes the descriptors that hold resources. */
    @Override
    public void close() {
        closeAll(descriptors);
    }

    static void closeAll(List<Descriptor> ds) {
        for (Descriptor d : ds) {
            if (d instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // nothing to recover at close
                }
            }
        }
    }

    /** Group of feature k. */
    public FeatureGroup group(int k) {
        return groups[k];
    }

    /** Number of features in the group. */
    public int count(FeatureGroup g) {
        int n = 0;
        for (FeatureGroup x : groups) if (x == g) n++;
        return n;
    }

    /** Names of the features in the group, in feature order. */
    public List<String> featureNames(FeatureGroup g) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < dimension; k++) if (groups[k] == g) out.add(names.get(k));
        return out;
    }

    /** Total number of features. */
    public int dimension() {
        return dimension;
    }

    /** Largest descriptor cutoff. */
    public double cutoff() {
        return cutoff;
    }

    /** Feature names. */
    public List<String> featureNames() {
        return names;
    }

    /** Descriptors. */
    public List<Descriptor> descriptors() {
        return new ArrayList<>(descriptors);
    }

    /**
     * Features of all atoms, row-major [N][dimension].
     *
     * @throws IllegalArgumentException when the cutoff does not fit the box
     */
    public double[] compute(Frame frame) {
        CellList cells = new CellList(frame.box(), frame.positions(), Math.max(cutoff, 1e-6));
        double[] out = new double[frame.size() * dimension];
        int offset = 0;
        for (Descriptor d : descriptors) {
            if (d instanceof FrameDescriptor f) {
                f.computeFrame(frame, cells, out, dimension, offset); // whole frame at once (one ONNX Runtime run)
            }
            offset += d.dimension();
        }
        Runnable task = () -> IntStream.range(0, frame.size()).parallel().forEach(i -> {
            int off = i * dimension;
            for (Descriptor d : descriptors) {
                if (!(d instanceof FrameDescriptor)) {
                    d.compute(frame, cells, i, out, off);
                }
                off += d.dimension();
            }
        });
        ParallelTasks.await(() -> pool.submit(task).get(), "interrupted");
        return out;
    }

    /**
     * Features of the given atoms only, row-major [centres.length][dimension] (one cell list for the frame; a
     * {@link FrameDescriptor} is still computed for the whole frame).
     *
     * @throws IllegalArgumentException when the cutoff does not fit the box
     */
    public double[] compute(Frame frame, int[] centres) {
        CellList cells = new CellList(frame.box(), frame.positions(), Math.max(cutoff, 1e-6));
        double[] out = new double[centres.length * dimension];
        int offset = 0;
        for (Descriptor d : descriptors) {
            if (d instanceof FrameDescriptor f) {
                double[] all = new double[frame.size() * d.dimension()];
                f.computeFrame(frame, cells, all, d.dimension(), 0);
                for (int c = 0; c < centres.length; c++) {
                    System.arraycopy(all, centres[c] * d.dimension(), out, c * dimension + offset, d.dimension());
                }
            } else {
                for (int c = 0; c < centres.length; c++) d.compute(frame, cells, centres[c], out, c * dimension + offset);
            }
            offset += d.dimension();
        }
        return out;
    }
}
