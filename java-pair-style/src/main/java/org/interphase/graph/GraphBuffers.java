package org.interphase.graph;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reusable off-heap storage of one graph: node arrays (atom_types, node_energy_mask,
 * atomic_energy) and edge arrays (edge_index, edge_vectors, edge_forces). Each group lives in
 * its own shared Arena that is closed when the group is reallocated or the buffers are closed.
 * The generation counters tell tensor caches when the memory moved.
 */
public final class GraphBuffers implements AutoCloseable {
    private final Precision precision;
    private final boolean hasMask;

    private Arena nodeArena;
    private Arena edgeArena;
    private int nodeCapacity;
    private int edgeCapacity;
    private int nodeGeneration;
    private int edgeGeneration;

    private MemorySegment atomTypes = MemorySegment.NULL;
    private MemorySegment mask = MemorySegment.NULL;
    private MemorySegment atomicEnergy = MemorySegment.NULL;
    private MemorySegment edgeIndex = MemorySegment.NULL;
    private MemorySegment edgeVectors = MemorySegment.NULL;
    private MemorySegment edgeForces = MemorySegment.NULL;

    public GraphBuffers(Precision precision, boolean hasMask) {
        this.precision = precision;
        this.hasMask = hasMask;
    }

    /** Closes an arena (its segments become invalid) and opens a fresh shared one. */
    private static Arena reopen(Arena old) {
        if (old != null) {
            old.close();
        }
        return Arena.ofShared();
    }

    /** Makes the node capacity exactly cap (reallocating when different); true if it moved. */
    public boolean ensureNodes(int cap) {
        if (cap == nodeCapacity && nodeArena != null) {
            return false;
        }
        nodeArena = reopen(nodeArena);
        int p = precision.bytes();
        atomTypes = nodeArena.allocate(8L * cap, 64);
        mask = hasMask ? nodeArena.allocate((long) p * cap, 64) : MemorySegment.NULL;
        atomicEnergy = nodeArena.allocate((long) p * cap, 64);
        nodeCapacity = cap;
        nodeGeneration++;
        return true;
    }

    /** Makes the edge capacity exactly cap (reallocating when different); true if it moved. */
    public boolean ensureEdges(int cap) {
        if (cap == edgeCapacity && edgeArena != null) {
            return false;
        }
        edgeArena = reopen(edgeArena);
        int p = precision.bytes();
        edgeIndex = edgeArena.allocate(16L * cap, 64);
        edgeVectors = edgeArena.allocate(3L * p * cap, 64);
        edgeForces = edgeArena.allocate(3L * p * cap, 64);
        edgeCapacity = cap;
        edgeGeneration++;
        return true;
    }

    public Precision precision() { return precision; }
    public boolean hasMask() { return hasMask; }
    public int nodeCapacity() { return nodeCapacity; }
    public int edgeCapacity() { return edgeCapacity; }
    public int nodeGeneration() { return nodeGeneration; }
    public int edgeGeneration() { return edgeGeneration; }
    /** int64 [nodes]. */
    public MemorySegment atomTypes() { return atomTypes; }
    /** float [nodes], NULL when the model has no node_energy_mask. */
    public MemorySegment mask() { return mask; }
    /** float [nodes], written by ONNX Runtime. */
    public MemorySegment atomicEnergy() { return atomicEnergy; }
    /** int64 [2, edges] (row stride = the edge count of the tensor). */
    public MemorySegment edgeIndex() { return edgeIndex; }
    /** float [edges, 3]. */
    public MemorySegment edgeVectors() { return edgeVectors; }
    /** float [edges, 3], written by ONNX Runtime. */
    public MemorySegment edgeForces() { return edgeForces; }

    /** Bytes held off-heap. */
    public long bytes() {
        long p = precision.bytes();
        long n = (long) nodeCapacity * (8 + p + (hasMask ? p : 0));
        long e = (long) edgeCapacity * (16 + 6 * p);
        return n + e;
    }

    @Override
    public void close() {
        if (nodeArena != null) {
            nodeArena.close();
            nodeArena = null;
        }
        if (edgeArena != null) {
            edgeArena.close();
            edgeArena = null;
        }
        nodeCapacity = 0;
        edgeCapacity = 0;
    }
}
