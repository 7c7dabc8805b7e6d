package org.interphase.graph;

import org.interphase.bridge.BridgeLayouts;

/**
 * Builds the model graph of one chunk of centre atoms in place from LAMMPS's full neighbour
 * list (read by address, no copy), with compact node numbering.
 *
 * <p>Nodes 0..ownCentres-1 are the chunk's own centres (in the order given; mask 1). The other
 * nodes are the atoms the model needs besides them, found breadth-first: for a strictly local
 * model (hops 1) the neighbours of the centres; for an L-hop message-passing model every atom
 * within L edges of a centre, and the edges of every atom within L-1 edges (the halo whose
 * features reach the centres' energies; node_energy_mask 0). Edges are stored grouped by their
 * source node ("centre" of the edge, row 0 of edge_index), sources in node order; edge_vectors =
 * x_j - x_i. So the union over chunks of each chunk's own-centre energies and edge forces is the
 * whole-rank result, whatever the chunking.
 *
 * <p>Folded images ({@link #build(Neighbors, int[], int, int, int[])} with an owner map, one MPI
 * rank): every ghost atom is a periodic image of a local atom, so it is mapped onto that atom's
 * node and its edge keeps the image's vector x_j - x_i. The nodes are then local atoms only,
 * message passing is exact with a ghost cutoff of r_max (no hops x r_max shell, no ghost
 * neighbour lists), and small boxes give the self-image edges nequip's own neighbour list has.
 * {@link #edgeNeighbor} stays the LAMMPS atom (the ghost) of each edge, where the force goes.
 *
 * <p>With padding on, node and edge counts are rounded up to buckets ({@link Buckets}): one
 * dummy node (index realNodes, species 0, mask 0) and dummy edges dummy-&gt;dummy with vector
 * (1.5 r_max, 0, 0) fill the rest (contract C4). When several chunks are built per step
 * ({@link #beginStep}), buckets only grow within a step and shrink at the start of a step when
 * the whole previous step needed less, so chunks of one step share their tensors. Apart from
 * rare growth, {@link #build} allocates nothing.
 */
public final class GraphBuilder implements AutoCloseable {
    private final GraphBuffers buffers;
    private final boolean pad;
    private final double dummyLength;
    private final int hops;
    private final int ntypes;
    private final int[] speciesOfType;
    private final double[] cutsq;

    private int nodes;
    private int edges;
    private int realNodes;
    private int realEdges;
    private int ownCentres;
    private int nodeCap;
    private int edgeCap;
    private int sources;
    private int[] sourceStart = new int[1];
    private int[] nodeAtom = new int[16];
    private int[] level = new int[16];
    /** LAMMPS atom index of the neighbour of edge e (a ghost when images are folded). */
    private int[] edgeAtom = new int[16];
    /** atom index -> node atom (its local owner) when images are folded; null otherwise. */
    private int[] owner;
    /** atom index -> node id, valid where stamp[atom] == generation. */
    private int[] nodeOf = new int[0];
    private int[] stamp = new int[0];
    private int generation;

    private int buildsPerStep = 1;
    private boolean firstOfStep = true;
    private int stepMaxNodes;
    private int stepMaxEdges;
    private int prevMaxNodes;
    private int prevMaxEdges;

    /**
     * @param hops interphase.hops of the model (1 = strictly local)
     * @param speciesOfType [ntypes+1]: model species of each LAMMPS type, -1 = not handled (NULL)
     * @param cutsq [(ntypes+1)^2] row-major squared cutoffs, 0 where a type is unmapped
     */
    public GraphBuilder(Precision precision, boolean hasMask, boolean pad, double rMax, int hops,
                        int[] speciesOfType, double[] cutsq) {
        this.ntypes = speciesOfType.length - 1;
        if (cutsq.length != (ntypes + 1) * (ntypes + 1)) {
            throw new IllegalArgumentException("cutsq must have (ntypes+1)^2 entries");
        }
        if (hops < 1) {
            throw new IllegalArgumentException("hops must be >= 1");
        }
        this.buffers = new GraphBuffers(precision, hasMask);
        this.pad = pad;
        this.dummyLength = 1.5 * rMax;
        this.hops = hops;
        this.speciesOfType = speciesOfType.clone();
        this.cutsq = cutsq.clone();
    }

    /** Starts a step in which {@link #build} will be called {@code builds} times. */
    public void beginStep(int builds) {
        buildsPerStep = Math.max(1, builds);
        firstOfStep = true;
        prevMaxNodes = stepMaxNodes;
        prevMaxEdges = stepMaxEdges;
        stepMaxNodes = 0;
        stepMaxEdges = 0;
    }

    private int bucket(int need, int cap, int prevMax) {
        if (buildsPerStep <= 1) {
            return Buckets.capacity(need, cap);
        }
        if (firstOfStep) {
            return Buckets.capacity(Math.max(need, prevMax), cap);
        }
        return need > cap ? Buckets.capacity(need, cap) : cap;
    }

    /**
     * Builds the graph of the chunk {@code centres[from..to)} (distinct atom indices of local
     * atoms whose types this style handles).
     *
     * @return true when a bucket (and hence the buffers) changed since the last call
     */
    public boolean build(Neighbors nb, int[] centres, int from, int to) {
        return build(nb, centres, from, to, null);
    }

    /**
     * As {@link #build(Neighbors, int[], int, int)}, folding every atom j onto the node of
     * owner[j] (its local atom) when owner is not null.
     *
     * @param owner [nall] local atom index of each atom (owner[i] = i for local atoms), or null
     */
    public boolean build(Neighbors nb, int[] centres, int from, int to, int[] owner) {
        if (owner != null && owner.length < nb.nall()) {
            throw new IllegalArgumentException("owner map has " + owner.length + " entries for " + nb.nall() + " atoms");
        }
        this.owner = owner;
        if (from < 0 || to < from || to > centres.length) {
            throw new IllegalArgumentException("chunk [" + from + ", " + to + ") outside the centre list");
        }
        final int nt1 = ntypes + 1;
        boolean moved = false;
        long ne;
        if (pad && edgeCap > 0) {
            // one pass straight into the current bucket (row stride = its capacity); redo only
            // when the bucket must change
            ne = edgePass(nb, centres, from, to, nt1, edgeCap, edgeCap - 1L);
            int cap = bucket(checkedCount(ne) + 1, edgeCap, prevMaxEdges);
            if (cap != edgeCap) {
                edgeCap = cap;
                moved = buffers.ensureEdges(edgeCap);
                edgePass(nb, centres, from, to, nt1, edgeCap, edgeCap - 1L);
            }
        } else {
            // count (and validate), size the buffers, then fill
            ne = edgePass(nb, centres, from, to, nt1, 0, 0);
            int need = pad ? checkedCount(ne) + 1 : Math.max(checkedCount(ne), 1);
            int cap = bucket(need, edgeCap, prevMaxEdges);
            if (cap != edgeCap || buffers.edgeCapacity() != cap) {
                edgeCap = cap;
                moved = buffers.ensureEdges(edgeCap);
            }
            long stride = pad ? edgeCap : ne;
            edgePass(nb, centres, from, to, nt1, stride, stride);
        }
        realEdges = (int) ne;
        int nodeNeed = pad ? realNodes + 1 : Math.max(realNodes, 1);
        nodeCap = bucket(nodeNeed, nodeCap, prevMaxNodes);
        moved |= buffers.ensureNodes(nodeCap);
        nodes = pad ? nodeCap : realNodes;
        edges = pad ? edgeCap : realEdges;
        stepMaxNodes = Math.max(stepMaxNodes, nodeNeed);
        stepMaxEdges = Math.max(stepMaxEdges, pad ? realEdges + 1 : Math.max(realEdges, 1));
        firstOfStep = false;
        fillNodes(nb.type());
        fillDummyEdges();
        return moved;
    }

    /**
     * Nodes (own centres plus halo) the graph of centres[from..to) would have, without writing
     * any tensor. The next {@link #build} overwrites what this leaves behind.
     */
    public int countNodes(Neighbors nb, int[] centres, int from, int to, int[] owner) {
        this.owner = owner;
        edgePass(nb, centres, from, to, ntypes + 1, 0, 0);
        return realNodes;
    }

    private static int checkedCount(long count) {
        if (count > Integer.MAX_VALUE / 8) {
            throw new IllegalStateException("graph too large: " + count + " edges in one chunk: use a smaller "
                    + "'chunk' in pair_style onnx");
        }
        return (int) count;
    }

    private void prepareAtoms(int nall) {
        if (stamp.length < nall) {
            int n = nall + nall / 8 + 16;
            stamp = new int[n];
            nodeOf = new int[n];
            generation = 0;
        }
        if (++generation == Integer.MAX_VALUE) {
            java.util.Arrays.fill(stamp, 0);
            generation = 1;
        }
    }

    private int addNode(int atom, int lvl) {
        int id = realNodes;
        if (id == nodeAtom.length) {
            nodeAtom = java.util.Arrays.copyOf(nodeAtom, 2 * id);
            level = java.util.Arrays.copyOf(level, 2 * id);
        }
        nodeAtom[id] = atom;
        level[id] = lvl;
        stamp[atom] = generation;
        nodeOf[atom] = id;
        realNodes = id + 1;
        return id;
    }

    /**
     * One breadth-first pass: assigns node ids, validates indices and types, counts the edges
     * within the cutoffs, records where each source's edges start, and writes edge e when
     * e &lt; limit (limit 0 = count only). Row 1 of edge_index starts at element {@code stride}.
     *
     * @return the number of edges (also those beyond limit)
     */
    private long edgePass(Neighbors nb, int[] centres, int from, int to, int nt1, long stride, long limit) {
        final long ei = limit > 0 ? buffers.edgeIndex().address() : 0;
        if (limit > edgeAtom.length) {
            edgeAtom = new int[(int) Math.min(Integer.MAX_VALUE - 8, limit + limit / 8 + 16)];
        }
        final int[] own = owner;
        final long ev = limit > 0 ? buffers.edgeVectors().address() : 0;
        final boolean f64 = buffers.precision() == Precision.FLOAT64;
        final double[] cut2 = cutsq;
        final int nt = ntypes;
        final int nall = nb.nall();
        final long x = nb.x();
        final long type = nb.type();
        prepareAtoms(nall);
        realNodes = 0;
        for (int c = from; c < to; c++) {
            int i = centres[c];
            if (i < 0 || i >= nb.nlocal()) {
                throw new IllegalStateException("neighbor list: centre " + i + " is not a local atom 0.."
                        + (nb.nlocal() - 1));
            }
            if (stamp[i] == generation) {
                throw new IllegalStateException("neighbor list: atom " + i + " appears twice in ilist");
            }
            addNode(i, 0);
        }
        ownCentres = to - from;
        long e = 0;
        int s = 0;
        for (; s < realNodes && level[s] < hops; s++) {
            if (sourceStart.length < s + 2) {
                sourceStart = java.util.Arrays.copyOf(sourceStart, 2 * s + 2);
            }
            sourceStart[s] = (int) Math.min(e, Integer.MAX_VALUE);
            final int i = nodeAtom[s];
            if (i >= nb.nlocal() && !nb.ghostLists()) {
                throw new IllegalStateException("the " + hops + "-hop model needs neighbor lists of ghost atoms, "
                        + "but LAMMPS passed none");
            }
            final int ti = checkedType(type, i);
            final int row = ti * nt1;
            final int next = level[s] + 1;
            final long xb = x + 24L * i;
            final double xi = NativeMemory.ALL.get(NativeMemory.DOUBLE, xb);
            final double yi = NativeMemory.ALL.get(NativeMemory.DOUBLE, xb + 8);
            final double zi = NativeMemory.ALL.get(NativeMemory.DOUBLE, xb + 16);
            final int nn = NativeMemory.getInt(nb.numneigh(), i);
            final long jlist = NativeMemory.getAddress(nb.firstneigh(), i);
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
                if (dx * dx + dy * dy + dz * dz >= cut2[row + tj]) {
                    continue;
                }
                final int jn = own == null ? j : own[j];
                final int id = stamp[jn] == generation ? nodeOf[jn] : addNode(jn, next);
                if (e < limit) {
                    edgeAtom[(int) e] = j;
                    NativeMemory.setLong(ei, e, s);
                    NativeMemory.setLong(ei, stride + e, id);
                    putVector(ev, f64, e, dx, dy, dz);
                }
                e++;
            }
        }
        sources = s;
        if (sourceStart.length < s + 1) {
            sourceStart = java.util.Arrays.copyOf(sourceStart, s + 1);
        }
        sourceStart[s] = (int) Math.min(e, Integer.MAX_VALUE);
        return e;
    }

    private int checkedType(long type, int i) {
        int t = NativeMemory.getInt(type, i);
        if (t < 1 || t > ntypes) {
            throw new IllegalStateException("atom " + i + " has type " + t + " outside 1.." + ntypes);
        }
        return t;
    }

    private void fillNodes(long type) {
        // raw addresses of our own buffers (sized by ensureNodes): no per-access checks
        final long at = buffers.atomTypes().address();
        final long mask = buffers.mask().address();
        final boolean f64 = buffers.precision() == Precision.FLOAT64;
        final boolean hasMask = buffers.hasMask();
        for (int n = 0; n < nodes; n++) {
            int s = n < realNodes ? speciesOfType[checkedType(type, nodeAtom[n])] : 0;
            NativeMemory.setLong(at, n, Math.max(s, 0));
            if (hasMask) {
                double m = n < ownCentres ? 1.0 : 0.0;
                if (f64) {
                    NativeMemory.setDouble(mask, n, m);
                } else {
                    NativeMemory.setFloat(mask, n, (float) m);
                }
            }
        }
    }

    /** Padding edges dummy -&gt; dummy from realEdges to the bucket end. */
    private void fillDummyEdges() {
        if (!pad) {
            return;
        }
        final long ei = buffers.edgeIndex().address();
        final long ev = buffers.edgeVectors().address();
        final boolean f64 = buffers.precision() == Precision.FLOAT64;
        final long stride = edges;
        final long dummy = realNodes;
        for (long e = realEdges; e < edges; e++) {
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
    /** Real nodes of the last build (own centres plus the atoms they need). */
    public int realNodes() { return realNodes; }
    /** Edges within the cutoffs. */
    public int realEdges() { return realEdges; }
    /** The chunk's own centres: nodes 0..ownCentres()-1. */
    public int ownCentres() { return ownCentres; }
    public int hops() { return hops; }
    public boolean padded() { return pad; }
    public GraphBuffers buffers() { return buffers; }

    /** Source nodes (edge centres) of the last build: the own centres, plus halo sources when hops &gt; 1. */
    public int centres() { return sources; }

    /**
     * Edges of source node c (0 &lt;= c &lt; centres()) are [edgeStart(c), edgeStart(c + 1)); all
     * have edge_index row 0 = c; sources are stored in node order.
     */
    public int edgeStart(int c) { return sourceStart[c]; }

    /** LAMMPS atom index of node n (0 &lt;= n &lt; realNodes()). */
    public int nodeAtom(int n) { return nodeAtom[n]; }

    /** Centre atom index (LAMMPS) of edge e. */
    public int edgeCentre(int e) {
        return nodeAtom[(int) NativeMemory.getLong(buffers.edgeIndex().address(), e)];
    }

    /**
     * LAMMPS atom index of the neighbour of real edge e (0 &lt;= e &lt; realEdges()): the atom
     * whose position gave the edge vector and which takes -F_e (a ghost image when folded).
     */
    public int edgeNeighbor(int e) {
        return edgeAtom[e];
    }

    @Override
    public void close() {
        buffers.close();
    }
}
