package org.interphase.neighbors;

/** Receives one neighbour j of a centre i: (dx,dy,dz) = r_j - r_i under the image within the cutoff, r2 = |d|^2. */
@FunctionalInterface
public interface NeighborVisitor {
    /** Called once per neighbour. */
    void visit(int j, double dx, double dy, double dz, double r2);
}
