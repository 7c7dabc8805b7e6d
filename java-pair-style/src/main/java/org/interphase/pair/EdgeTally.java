package org.interphase.pair;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.interphase.graph.GraphBuilder;
import org.interphase.graph.NativeMemory;
import org.interphase.graph.Precision;

/**
 * How edge forces become LAMMPS forces and virials (the one place of this rule). For edge
 * e = (i, j) with r_e = x_j - x_i and F_e = dE/dr_e: f_i += F_e, f_j -= F_e (forces on ghosts are
 * reverse-communicated by LAMMPS, hence newton_pair on); virial += -r_e (x) F_e in LAMMPS order
 * xx yy zz xy xz yz (xy = r_x F_y, xz = r_x F_z, yz = r_y F_z); per-atom virial: half of each
 * edge's term to i and half to j.
 */
final class EdgeTally {
    private EdgeTally() {}

    /**
     * Adds the graph's edge_forces in one pass over its edges, source by source (edges are stored
     * grouped by source node): the force on the source is summed in registers and stored once per
     * source; neighbours get -F_e directly.
     *
     * @param f double [nall*3] to add forces to
     * @param vatom double [nall*6] for per-atom virials, or 0
     * @param needR whether the virial is wanted (global or per atom)
     * @param virial the 6 global virial components to add to
     */
    static void add(GraphBuilder g, long x, long f, long vatom, boolean needR, double[] virial) {
        final int nsources = g.centres();
        final boolean f64 = g.buffers().precision() == Precision.FLOAT64;
        final long ef = g.buffers().edgeForces().address();
        final boolean vflagAtom = vatom != 0;
        final MemorySegment mem = NativeMemory.ALL;
        final ValueLayout.OfDouble D = NativeMemory.DOUBLE;
        double v0 = 0, v1 = 0, v2 = 0, v3 = 0, v4 = 0, v5 = 0;
        int e1 = g.edgeStart(0);
        for (int s = 0; s < nsources; s++) {
            final int e0 = e1;
            e1 = g.edgeStart(s + 1);
            if (e0 == e1) {
                continue;
            }
            final int i = g.nodeAtom(s);
            final long xi = x + 24L * i;
            final double xix = mem.get(D, xi), xiy = mem.get(D, xi + 8), xiz = mem.get(D, xi + 16);
            double fix = 0, fiy = 0, fiz = 0;
            for (int e = e0; e < e1; e++) {
                final int j = g.edgeNeighbor(e);
                final double fx, fy, fz;
                if (f64) {
                    final long a = ef + 24L * e;
                    fx = mem.get(D, a);
                    fy = mem.get(D, a + 8);
                    fz = mem.get(D, a + 16);
                } else {
                    final long a = ef + 12L * e;
                    fx = mem.get(NativeMemory.FLOAT, a);
                    fy = mem.get(NativeMemory.FLOAT, a + 4);
                    fz = mem.get(NativeMemory.FLOAT, a + 8);
                }
                fix += fx;
                fiy += fy;
                fiz += fz;
                final long fj = f + 24L * j;
                mem.set(D, fj, mem.get(D, fj) - fx);
                mem.set(D, fj + 8, mem.get(D, fj + 8) - fy);
                mem.set(D, fj + 16, mem.get(D, fj + 16) - fz);
                if (needR) {
                    final long xj = x + 24L * j;
                    final double rx = mem.get(D, xj) - xix;
                    final double ry = mem.get(D, xj + 8) - xiy;
                    final double rz = mem.get(D, xj + 16) - xiz;
                    final double w0 = -rx * fx;
                    final double w1 = -ry * fy;
                    final double w2 = -rz * fz;
                    final double w3 = -rx * fy;
                    final double w4 = -rx * fz;
                    final double w5 = -ry * fz;
                    v0 += w0;
                    v1 += w1;
                    v2 += w2;
                    v3 += w3;
                    v4 += w4;
                    v5 += w5;
                    if (vflagAtom) {
                        addHalf(vatom, i, w0, w1, w2, w3, w4, w5);
                        addHalf(vatom, j, w0, w1, w2, w3, w4, w5);
                    }
                }
            }
            final long fi = f + 24L * i;
            mem.set(D, fi, mem.get(D, fi) + fix);
            mem.set(D, fi + 8, mem.get(D, fi + 8) + fiy);
            mem.set(D, fi + 16, mem.get(D, fi + 16) + fiz);
        }
        virial[0] += v0;
        virial[1] += v1;
        virial[2] += v2;
        virial[3] += v3;
        virial[4] += v4;
        virial[5] += v5;
    }

    private static void addHalf(long vatom, int i, double w0, double w1, double w2, double w3, double w4, double w5) {
        long b = 6L * i;
        NativeMemory.addDouble(vatom, b, 0.5 * w0);
        NativeMemory.addDouble(vatom, b + 1, 0.5 * w1);
        NativeMemory.addDouble(vatom, b + 2, 0.5 * w2);
        NativeMemory.addDouble(vatom, b + 3, 0.5 * w3);
        NativeMemory.addDouble(vatom, b + 4, 0.5 * w4);
        NativeMemory.addDouble(vatom, b + 5, 0.5 * w5);
    }
}
