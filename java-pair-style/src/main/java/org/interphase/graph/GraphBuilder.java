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
    private int centres;
    private int[] centreStart = new int[1];
    /** Edges [dummyFrom, edges) hold dummy edges to node dummyNode from an earlier step. */
    private int dummyFrom;
    private long dummyNode = -1;

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
        final int nt1 = ntypes + 1;
        if (centreStart.length < ncentres + 1) {
            centreStart = new int[ncentres + 1 + ncentres / 16]; // headroom: rarely reallocated
        }
        centres = ncentres;
        boolean moved = false;
        long ne;
        if (pad && edgeCap > 0) {
            // one pass: write straight into the current bucket (stride = its capacity); redo only
            // when the bucket must change (rare: growth beyond the headroom or a large shrink)
            ne = edgePass(x, type, ilist, numneigh, firstneigh, ncentres, nall, nt1, edgeCap, edgeCap - 1L);
            checkEdgeCount(ne);
            if (Buckets.capacity((int) ne + 1, edgeCap) != edgeCap) {
                edgeCap = Buckets.capacity((int) ne + 1, edgeCap);
                moved = buffers.ensureEdges(edgeCap);
                dummyFrom = edgeCap;
                edgePass(x, type, ilist, numneigh, firstneigh, ncentres, nall, nt1, edgeCap, edgeCap - 1L);
            }
        } else {
            // count (and validate), size the buffers, then fill
            ne = edgePass(x, type, ilist, numneigh, firstneigh, ncentres, nall, nt1, 0, 0);
            checkEdgeCount(ne);
            int cap = Buckets.capacity(pad ? (int) ne + 1 : Math.max((int) ne, 1), edgeCap);
            if (cap != edgeCap || buffers.edgeCapacity() != cap) {
                edgeCap = cap;
                moved = buffers.ensureEdges(edgeCap);
                dummyFrom = edgeCap;
            }
            long stride = pad ? edgeCap : ne;
            edgePass(x, type, ilist, numneigh, firstneigh, ncentres, nall, nt1, stride, stride);
        }
        if (pad) {
            nodeCap = Buckets.capacity(nall + 1, nodeCap);
            moved |= buffers.ensureNodes(nodeCap);
            nodes = nodeCap;
            edges = edgeCap;
        } else {
            nodeCap = Buckets.capacity(Math.max(nall, 1), nodeCap);
            moved |= buffers.ensureNodes(nodeCap);
            nodes = nall;
            edges = (int) ne;
        }
        realNodes = nall;
        realEdges = (int) ne;
        fillNodes(type, nlocal, nall);
        fillDummyEdges(nall);
        return moved;
    }

    private static void checkEdgeCount(long count) {
        if (count > Integer.MAX_VALUE / 8) {
            throw new IllegalStateException("graph too large: " + count + " edges on this rank");
        }
    }

    /**
     * One pass over the neighbour list: validates indices and types, counts the edges within the
     * cutoffs, records where each centre's edges start, and writes edge e (i, j, x_j - x_i) when
     * e < limit (limit 0 = count only). Row 1 of edge_index starts at element {@code stride}.
     * Slot e = (returned count) may hold a rejected candidate afterwards when it is below limit.
     *
     * @return the number of edges (also those beyond limit)
     */
    private long edgePass(long x, long type, long ilist, long numneigh, long firstneigh,
                          int ncentres, int nall, int nt1, long stride, long limit) {
        final long ei = limit > 0 ? buffers.edgeIndex().address() : 0;
        final long ev = limit > 0 ? buffers.edgeVectors().address() : 0;
        final boolean f64 = buffers.precision() == Precision.FLOAT64;
        final int[] start = centreStart;
        final int[] species = speciesOfType;
        final double[] cut2 = cutsq;
        final int nt = ntypes;
        long e = 0;
        for (int c = 0; c < ncentres; c++) {
            start[c] = (int) Math.min(e, Integer.MAX_VALUE);
            final int i = NativeMemory.getInt(ilist, c);
            if (i < 0 || i >= nall) {
                throw new IllegalStateException("neighbor list: ilist[" + c + "] = " + i
                        + " outside 0.." + (nall - 1));
            }
            final int ti = checkedType(type, i);
            if (species[ti] < 0) {
                continue;
            }
            final int row = ti * nt1;
            final long xb = x + 24L * i;
            final double xi = NativeMemory.ALL.get(NativeMemory.DOUBLE, xb);
            final double yi = NativeMemory.ALL.get(NativeMemory.DOUBLE, xb + 8);
            final double zi = NativeMemory.ALL.get(NativeMemory.DOUBLE, xb + 16);
            final int nn = NativeMemory.getInt(numneigh, i);
            final long jlist = NativeMemory.getAddress(firstneigh, i);
            if (nn > 0 && jlist == 0) {
                throw new IllegalStateException("neighbor list: firstneigh[" + i + "] is NULL");
            }
            for (int k = 0; k < nn; k++) {
                final int j = NativeMemory.getInt(jlist, k) & BridgeLayouts.IPH_NEIGHMASK;
                if (j >= nall) {
                    throw new IllegalStateException("neighbor list: neighbor " + j + " of atom " + i
                            + " outside 0.." + (nall - 1));
                }
                final int tj = NativeMemory.getInt(type, j);
                if (tj < 1 || tj > nt) {
                    throw new IllegalStateException("atom " + j + " has type " + tj + " outside 1.." + nt);
                }
                final long xj = x + 24L * j;
                final double dx = NativeMemory.ALL.get(NativeMemory.DOUBLE, xj) - xi;
                final double dy = NativeMemory.ALL.get(NativeMemory.DOUBLE, xj + 8) - yi;
                final double dz = NativeMemory.ALL.get(NativeMemory.DOUBLE, xj + 16) - zi;
                // branch-free: the candidate is written at slot e and kept only if within the
                // cutoff (about a third of the skin-padded list is not: a branch would mispredict)
                if (e < limit) {
                    NativeMemory.setLong(ei, e, i);
                    NativeMemory.setLong(ei, stride + e, j);
                    putVector(ev, f64, e, dx, dy, dz);
                }
                e += dx * dx + dy * dy + dz * dz < cut2[row + tj] ? 1 : 0;
            }
        }
        start[ncentres] = (int) Math.min(e, Integer.MAX_VALUE);
        return e;
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

    /**
     * Padding edges dummy -> dummy from realEdges to the bucket end. Entries that still hold
     * dummies from an earlier step in the same buffers are not rewritten.
     */
    private void fillDummyEdges(int nall) {
        if (!pad) {
            return;
        }
        final long ei = buffers.edgeIndex().address();
        final long ev = buffers.edgeVectors().address();
        final boolean f64 = buffers.precision() == Precision.FLOAT64;
        final long stride = edges;
        final long dummy = nall;
        // a new dummy node index invalidates all earlier dummy edges; slot realEdges may hold a
        // rejected candidate of the edge pass
        final int upTo = dummy == dummyNode ? Math.max(Math.min(dummyFrom, edges), realEdges + 1) : edges;
        for (long e = realEdges; e < upTo; e++) {
            NativeMemory.setLong(ei, e, dummy);
            NativeMemory.setLong(ei, stride + e, dummy);
            putVector(ev, f64, e, dummyLength, 0.0, 0.0);
        }
        dummyFrom = realEdges;
        dummyNode = dummy;
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

    /** Centres of the last build (inum, + gnum with ghost centres). */
    public int centres() { return centres; }

    /**
     * Edges of centre c (position in ilist, 0 <= c < centres()) are [edgeStart(c), edgeStart(c + 1))
     * and all have edge_index row 0 = ilist[c]; edges are stored centre by centre.
     */
    public int edgeStart(int c) { return centreStart[c]; }

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
