package org.interphase.graph;

import org.interphase.bridge.BridgeLayouts;

/**
 * Builds the model graph in place from LAMMPS's full neighbour list (read by address, no copy).
 *
 * <p>Nodes are all LAMMPS atoms 0..nall-1 (local then ghost) with their model species; edges are
 * (i, j) for every centre i of ilist (local atoms, plus ghost centres when the model has more
 * than one hop) and every listed neighbour j with |x_j - x_i|^2 below the squared cutoff of the
 * type pair; edge_vectors = x_j - x_i. With padding on, node and edge counts are rounded up to
 * buckets ({@link Buckets}): one dummy node (index nall, species 0, mask 0) and dummy edges
 * dummy->dummy with vector (1.5 r_max, 0, 0) fill the rest (contract C4). Apart from rare bucket
 * growth, {@link #build} allocates nothing.
 */
public final class GraphBuilder implements AutoCloseable {
    private final GraphBuffers buffers;
    private final boolean pad;
    private final double dummyLength;
    private final int ntypes;
    private final int[] speciesOfType;
    private final double[] cutsq;

    private int nodes;
    private int edges;
    private int realNodes;
    private int realEdges;
    private int nodeCap;
    private int edgeCap;

    /**
     * @param speciesOfType [ntypes+1]: model species of each LAMMPS type, -1 = not handled (NULL)
     * @param cutsq [(ntypes+1)^2] row-major squared cutoffs, 0 where a type is unmapped
     */
    public GraphBuilder(Precision precision, boolean hasMask, boolean pad, double rMax,
                        int[] speciesOfType, double[] cutsq) {
        this.ntypes = speciesOfType.length - 1;
        if (cutsq.length != (ntypes + 1) * (ntypes + 1)) {
            throw new IllegalArgumentException("cutsq must have (ntypes+1)^2 entries");
        }
        this.buffers = new GraphBuffers(precision, hasMask);
        this.pad = pad;
        this.dummyLength = 1.5 * rMax;
        this.speciesOfType = speciesOfType.clone();
        this.cutsq = cutsq.clone();
    }

    /**
     * Builds the graph of one step.
     *
     * @param ncentres inum (+ gnum for ghost centres)
     * @return true when a bucket (and hence the buffers) changed since the last call
     */
    public boolean build(long x, long type, long ilist, long numneigh, long firstneigh,
                         int nlocal, int nall, int ncentres) {
        if (nall > 0 && (x == 0 || type == 0)) {
            throw new IllegalArgumentException("compute args: x or type is NULL with nall=" + nall);
        }
        if (ncentres > 0 && (ilist == 0 || numneigh == 0 || firstneigh == 0)) {
            throw new IllegalArgumentException("compute args: the neighbor list pointers are NULL");
        }
        if (ncentres < 0 || ncentres > nall || nlocal < 0 || nlocal > nall) {
            throw new IllegalArgumentException("compute args: inconsistent counts nlocal=" + nlocal
                    + " nall=" + nall + " centres=" + ncentres);
        }
        // pass 1: validate and count
        long count = 0;
        final int nt1 = ntypes + 1;
        for (int c = 0; c < ncentres; c++) {
            int i = NativeMemory.getInt(ilist, c);
            if (i < 0 || i >= nall) {
                throw new IllegalStateException("neighbor list: ilist[" + c + "] = " + i
                        + " outside 0.." + (nall - 1));
            }
            int ti = checkedType(type, i);
            if (speciesOfType[ti] < 0) {
                continue;
            }
            int row = ti * nt1;
            double xi = NativeMemory.getDouble(x, 3L * i);
            double yi = NativeMemory.getDouble(x, 3L * i + 1);
            double zi = NativeMemory.getDouble(x, 3L * i + 2);
            int nn = NativeMemory.getInt(numneigh, i);
            long jlist = NativeMemory.getAddress(firstneigh, i);
            if (nn > 0 && jlist == 0) {
                throw new IllegalStateException("neighbor list: firstneigh[" + i + "] is NULL");
            }
            for (int k = 0; k < nn; k++) {
                int j = NativeMemory.getInt(jlist, k) & BridgeLayouts.IPH_NEIGHMASK;
                if (j >= nall) {
                    throw new IllegalStateException("neighbor list: neighbor " + j + " of atom " + i
                            + " outside 0.." + (nall - 1));
                }
                int tj = checkedType(type, j);
                double dx = NativeMemory.getDouble(x, 3L * j) - xi;
                double dy = NativeMemory.getDouble(x, 3L * j + 1) - yi;
                double dz = NativeMemory.getDouble(x, 3L * j + 2) - zi;
                if (dx * dx + dy * dy + dz * dz < cutsq[row + tj]) {
                    count++;
                }
            }
        }
        if (count > Integer.MAX_VALUE / 8) {
            throw new IllegalStateException("graph too large: " + count + " edges on this rank");
        }
        int ne = (int) count;
        // sizes
        boolean moved;
        if (pad) {
            nodeCap = Buckets.capacity(nall + 1, nodeCap);
            edgeCap = Buckets.capacity(ne + 1, edgeCap);
            moved = buffers.ensureNodes(nodeCap) | buffers.ensureEdges(edgeCap);
            nodes = nodeCap;
            edges = edgeCap;
        } else {
            nodeCap = Buckets.capacity(Math.max(nall, 1), nodeCap);
            edgeCap = Buckets.capacity(Math.max(ne, 1), edgeCap);
            moved = buffers.ensureNodes(nodeCap) | buffers.ensureEdges(edgeCap);
            nodes = nall;
            edges = ne;
        }
        realNodes = nall;
        realEdges = ne;
        fillNodes(type, nlocal, nall);
        fillEdges(x, type, ilist, numneigh, firstneigh, ncentres, nall);
        return moved;
    }

    private int checkedType(long type, int i) {
        int t = NativeMemory.getInt(type, i);
        if (t < 1 || t > ntypes) {
            throw new IllegalStateException("atom " + i + " has type " + t + " outside 1.." + ntypes);
        }
        return t;
    }

    private void fillNodes(long type, int nlocal, int nall) {
        // raw addresses of our own buffers (sized by ensureNodes): no per-access session/alignment checks
        final long at = buffers.atomTypes().address();
        final long mask = buffers.mask().address();
        final boolean f64 = buffers.precision() == Precision.FLOAT64;
        final boolean hasMask = buffers.hasMask();
        for (int i = 0; i < nodes; i++) {
            int s = i < nall ? speciesOfType[checkedType(type, i)] : 0;
            NativeMemory.setLong(at, i, Math.max(s, 0));
            if (hasMask) {
                double m = (i < nlocal && s >= 0) ? 1.0 : 0.0;
                if (f64) {
                    NativeMemory.setDouble(mask, i, m);
                } else {
                    NativeMemory.setFloat(mask, i, (float) m);
                }
            }
        }
    }

    private void fillEdges(long x, long type, long ilist, long numneigh, long firstneigh,
                           int ncentres, int nall) {
        final long ei = buffers.edgeIndex().address();
        final long ev = buffers.edgeVectors().address();
        final boolean f64 = buffers.precision() == Precision.FLOAT64;
        final long stride = edges; // row 1 of edge_index starts after the tensor's edge count
        final int nt1 = ntypes + 1;
        int e = 0;
        for (int c = 0; c < ncentres; c++) {
            int i = NativeMemory.getInt(ilist, c);
            int ti = NativeMemory.getInt(type, i);
            if (speciesOfType[ti] < 0) {
                continue;
            }
            int row = ti * nt1;
            double xi = NativeMemory.getDouble(x, 3L * i);
            double yi = NativeMemory.getDouble(x, 3L * i + 1);
            double zi = NativeMemory.getDouble(x, 3L * i + 2);
            int nn = NativeMemory.getInt(numneigh, i);
            long jlist = NativeMemory.getAddress(firstneigh, i);
            for (int k = 0; k < nn; k++) {
                int j = NativeMemory.getInt(jlist, k) & BridgeLayouts.IPH_NEIGHMASK;
                int tj = NativeMemory.getInt(type, j);
                double dx = NativeMemory.getDouble(x, 3L * j) - xi;
                double dy = NativeMemory.getDouble(x, 3L * j + 1) - yi;
                double dz = NativeMemory.getDouble(x, 3L * j + 2) - zi;
                if (dx * dx + dy * dy + dz * dz < cutsq[row + tj]) {
                    NativeMemory.setLong(ei, e, i);
                    NativeMemory.setLong(ei, stride + e, j);
                    putVector(ev, f64, e, dx, dy, dz);
                    e++;
                }
            }
        }
        // dummy edges dummy->dummy (only when padded: edges > realEdges)
        long dummy = nall;
        for (; e < edges; e++) {
            NativeMemory.setLong(ei, e, dummy);
            NativeMemory.setLong(ei, stride + e, dummy);
            putVector(ev, f64, e, dummyLength, 0.0, 0.0);
        }
    }

    private static void putVector(long ev, boolean f64, long e, double dx, double dy, double dz) {
        if (f64) {
            NativeMemory.setDouble(ev, 3 * e, dx);
            NativeMemory.setDouble(ev, 3 * e + 1, dy);
            NativeMemory.setDouble(ev, 3 * e + 2, dz);
        } else {
            NativeMemory.setFloat(ev, 3 * e, (float) dx);
            NativeMemory.setFloat(ev, 3 * e + 1, (float) dy);
            NativeMemory.setFloat(ev, 3 * e + 2, (float) dz);
        }
    }

    /** Node count of the tensors (incl. padding). */
    public int nodes() { return nodes; }
    /** Edge count of the tensors (incl. padding). */
    public int edges() { return edges; }
    /** LAMMPS atoms (nall). */
    public int realNodes() { return realNodes; }
    /** Edges within the cutoffs. */
    public int realEdges() { return realEdges; }
    public boolean padded() { return pad; }
    public GraphBuffers buffers() { return buffers; }

    /** Centre atom index of edge e. */
    public int edgeCentre(int e) {
        return (int) NativeMemory.getLong(buffers.edgeIndex().address(), e);
    }

    /** Neighbour atom index of edge e. */
    public int edgeNeighbor(int e) {
        return (int) NativeMemory.getLong(buffers.edgeIndex().address(), (long) edges + e);
    }

    @Override
    public void close() {
        buffers.close();
    }
}
