package org.interphase.graph;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.interphase.testsupport.AllImages;
import org.interphase.testsupport.FakeLammps;
import org.junit.jupiter.api.Test;

/** The graph builder against a brute-force all-images pair search. */
class GraphBuilderTest {

    record Edge(int i, int j, double dx, double dy, double dz) {}

    private static final Comparator<Edge> ORDER = Comparator.comparingInt(Edge::i).thenComparingInt(Edge::j)
            .thenComparingDouble(Edge::dx).thenComparingDouble(Edge::dy).thenComparingDouble(Edge::dz);

    static double[][] cell(Random rnd, boolean triclinic) {
        double lx = 7 + 2 * rnd.nextDouble();
        double ly = 7 + 2 * rnd.nextDouble();
        double lz = 7 + 2 * rnd.nextDouble();
        double xy = triclinic ? (rnd.nextDouble() - 0.5) * lx * 0.6 : 0;
        double xz = triclinic ? (rnd.nextDouble() - 0.5) * lx * 0.6 : 0;
        double yz = triclinic ? (rnd.nextDouble() - 0.5) * ly * 0.6 : 0;
        return new double[][] {{lx, 0, 0}, {xy, ly, 0}, {xz, yz, lz}};
    }

    /**
     * One builder, several frames of different sizes (growth, reuse of the bucket, shrink, reuse
     * after a shrink): every frame must match a brute-force all-images search, whatever the
     * state the previous frames left in the reusable buffers.
     */
    private void check(long seed, boolean triclinic, Precision precision, boolean pad, boolean perType) {
        Random rnd = new Random(seed);
        double[][] h = cell(rnd, triclinic);
        int n0 = 16 + rnd.nextInt(6);
        int[] sizes = {n0, n0 + 6, n0 + 5, n0 + 6, n0 - 8, n0 - 7};
        int ntypes = 3;
        double rmax = 5.0;
        double[] cut = new double[(ntypes + 1) * (ntypes + 1)];
        for (int a = 1; a <= ntypes; a++) {
            for (int b = a; b <= ntypes; b++) {
                double c = perType ? 3.0 + 2.0 * rnd.nextDouble() : rmax;
                cut[a * (ntypes + 1) + b] = c;
                cut[b * (ntypes + 1) + a] = c;
            }
        }
        double[] cutsq = new double[cut.length];
        for (int k = 0; k < cut.length; k++) {
            cutsq[k] = cut[k] * cut[k];
        }
        int[] speciesOfType = {-1, 0, 1, 2};
        int reused = 0;
        try (GraphBuilder g = new GraphBuilder(precision, true, pad, rmax, speciesOfType, cutsq)) {
            for (int frame = 0; frame < sizes.length; frame++) {
                int n = sizes[frame];
                double[] pos = FakeLammps.randomPositions(h, n, 0.8, rnd);
                int[] types = new int[n];
                for (int i = 0; i < n; i++) {
                    types[i] = 1 + rnd.nextInt(ntypes);
                }
                try (FakeLammps lmp = new FakeLammps(h, pos, types, rmax + 1.0, rmax + 1.0, false, seed + frame)) {
                    int edgeBucket = g.edges();
                    g.build(lmp.x.address(), lmp.type.address(), lmp.ilist.address(), lmp.numneigh.address(),
                            lmp.firstneigh.address(), lmp.nlocal, lmp.nall, lmp.inum);
                    if (frame > 0 && g.edges() == edgeBucket) {
                        reused++;
                    }
                    verify(g, lmp, h, pos, types, cut, ntypes, rmax, precision, pad, speciesOfType,
                            "seed " + seed + " frame " + frame);
                }
            }
        }
        if (pad) {
            assertTrue(reused > 0, "no frame reused the edge bucket (single-pass path not exercised), seed " + seed);
        }
    }

    private static boolean bucketOk(int cap, int need) {
        return cap >= need && (cap <= Math.ceil(Buckets.GROW * need) || need >= Buckets.SHRINK_BELOW * cap);
    }

    private void verify(GraphBuilder g, FakeLammps lmp, double[][] h, double[] pos, int[] types, double[] cut,
                        int ntypes, double rmax, Precision precision, boolean pad, int[] speciesOfType, String what) {
        int n = pos.length / 3;
            List<Edge> ref = new ArrayList<>();
            for (AllImages.Pair p : AllImages.pairs(h, pos, types, (a, b) -> cut[a * (ntypes + 1) + b], rmax)) {
                ref.add(new Edge(p.i(), p.j(), p.dx(), p.dy(), p.dz()));
            }
            List<Edge> got = new ArrayList<>();
            GraphBuffers b = g.buffers();
            for (int e = 0; e < g.realEdges(); e++) {
                int i = g.edgeCentre(e);
                int j = g.edgeNeighbor(e);
                assertTrue(i < lmp.nlocal, "centres are local atoms");
                got.add(new Edge(lmp.owner[i], lmp.owner[j], vec(b, e, 0), vec(b, e, 1), vec(b, e, 2)));
                // the stored vector is x_j - x_i of the LAMMPS arrays
                for (int k = 0; k < 3; k++) {
                    double d = lmp.xAt(j, k) - lmp.xAt(i, k);
                    assertEquals(precision == Precision.FLOAT64 ? d : (float) d, vec(b, e, k), 0.0);
                }
            }
            // edges are grouped by centre, in ilist order
            assertEquals(lmp.inum, g.centres());
            assertEquals(0, g.edgeStart(0));
            assertEquals(g.realEdges(), g.edgeStart(g.centres()), what);
            for (int c = 0; c < g.centres(); c++) {
                int i = lmp.ilist.getAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, c);
                for (int e = g.edgeStart(c); e < g.edgeStart(c + 1); e++) {
                    assertEquals(i, g.edgeCentre(e), what + ": edge " + e + " of centre " + c);
                }
            }
            assertEquals(ref.size(), got.size(), "edge count (" + what + ")");
            assertTrue(ref.size() > 3 * n, "test configuration has many edges: " + ref.size());
            ref.sort(ORDER);
            got.sort(ORDER);
            double tol = precision == Precision.FLOAT64 ? 1e-12 : 1e-5;
            for (int k = 0; k < ref.size(); k++) {
                Edge r = ref.get(k);
                Edge q = got.get(k);
                assertEquals(r.i(), q.i());
                assertEquals(r.j(), q.j());
                assertEquals(r.dx(), q.dx(), tol);
                assertEquals(r.dy(), q.dy(), tol);
                assertEquals(r.dz(), q.dz(), tol);
            }
            // nodes: all LAMMPS atoms with their species, mask 1 for local atoms only
            for (int i = 0; i < lmp.nall; i++) {
                assertEquals(speciesOfType[lmp.types[i]], b.atomTypes().getAtIndex(JAVA_LONG, i));
                assertEquals(i < lmp.nlocal ? 1.0 : 0.0, mask(b, i));
            }
            if (pad) {
                assertTrue(bucketOk(g.nodes(), lmp.nall + 1), what + ": node bucket " + g.nodes() + " for " + (lmp.nall + 1));
                assertTrue(g.edges() > g.realEdges() && bucketOk(g.edges(), g.realEdges() + 1),
                        what + ": edge bucket " + g.edges() + " for " + (g.realEdges() + 1));
                for (int i = lmp.nall; i < g.nodes(); i++) {
                    assertEquals(0L, b.atomTypes().getAtIndex(JAVA_LONG, i));
                    assertEquals(0.0, mask(b, i));
                }
                for (int e = g.realEdges(); e < g.edges(); e++) {
                    assertEquals(lmp.nall, g.edgeCentre(e), what + ": dummy edge " + e);
                    assertEquals(lmp.nall, g.edgeNeighbor(e), what + ": dummy edge " + e);
                    assertEquals(1.5 * rmax, vec(b, e, 0), 1e-6);
                    assertEquals(0.0, vec(b, e, 1));
                    assertEquals(0.0, vec(b, e, 2));
                }
            } else {
                assertEquals(lmp.nall, g.nodes());
                assertEquals(g.realEdges(), g.edges());
            }
    }

    private static double vec(GraphBuffers b, int e, int k) {
        MemorySegment v = b.edgeVectors();
        return b.precision() == Precision.FLOAT64 ? v.getAtIndex(JAVA_DOUBLE, 3L * e + k) : v.getAtIndex(JAVA_FLOAT, 3L * e + k);
    }

    private static double mask(GraphBuffers b, int i) {
        MemorySegment m = b.mask();
        return b.precision() == Precision.FLOAT64 ? m.getAtIndex(JAVA_DOUBLE, i) : m.getAtIndex(JAVA_FLOAT, i);
    }

    @Test
    void orthogonalBoxesMatchBruteForce() {
        for (long seed = 1; seed <= 3; seed++) {
            check(seed, false, Precision.FLOAT64, false, false);
        }
    }

    @Test
    void triclinicBoxesMatchBruteForce() {
        for (long seed = 11; seed <= 14; seed++) {
            check(seed, true, Precision.FLOAT64, seed % 2 == 0, false);
        }
    }

    @Test
    void perTypePairCutoffsAndFloat32() {
        check(21, true, Precision.FLOAT32, true, true);
        check(22, false, Precision.FLOAT64, false, true);
    }

    @Test
    void ghostCentresAddEdgesCentredOnGhosts() {
        Random rnd = new Random(5);
        double[][] h = cell(rnd, true);
        double[] pos = FakeLammps.randomPositions(h, 10, 1.0, rnd);
        int[] types = new int[10];
        java.util.Arrays.fill(types, 1);
        double rc = 4.0;
        try (FakeLammps lmp = new FakeLammps(h, pos, types, 2 * rc, rc + 0.5, true, 5);
             GraphBuilder g = new GraphBuilder(Precision.FLOAT64, true, true, rc, new int[] {-1, 0},
                     new double[] {0, 0, 0, rc * rc})) {
            g.build(lmp.x.address(), lmp.type.address(), lmp.ilist.address(), lmp.numneigh.address(),
                    lmp.firstneigh.address(), lmp.nlocal, lmp.nall, lmp.inum + lmp.gnum);
            int ghostCentred = 0;
            for (int e = 0; e < g.realEdges(); e++) {
                if (g.edgeCentre(e) >= lmp.nlocal) {
                    ghostCentred++;
                }
            }
            assertTrue(ghostCentred > 0, "ghost centres produce edges");
            // every local-centred edge of the brute-force reference is present
            int localRef = AllImages.pairs(h, pos, types, (a, b) -> rc, rc).size();
            assertEquals(localRef, g.realEdges() - ghostCentred);
        }
    }

    @Test
    void bucketsGrowByFivePercentAndShrinkBelowEightyFivePercent() {
        assertEquals(105, Buckets.capacity(100, 0));
        assertEquals(105, Buckets.capacity(95, 105));
        assertEquals(105, Buckets.capacity(90, 105)); // 90 >= 89.25
        assertEquals(94, Buckets.capacity(89, 105)); // 89 < 89.25: ceil(93.45)
        assertEquals(105, Buckets.capacity(105, 105)); // unchanged within the bucket
        assertEquals(112, Buckets.capacity(106, 105)); // ceil(111.3)
        assertEquals(1, Buckets.capacity(0, 0));
    }

    @Test
    void corruptNeighborListIsAnErrorNotACrash() {
        Random rnd = new Random(3);
        double[][] h = cell(rnd, false);
        double[] pos = FakeLammps.randomPositions(h, 6, 1.0, rnd);
        try (FakeLammps lmp = new FakeLammps(h, pos, new int[] {1, 1, 1, 1, 1, 1}, 4, 4, false, 3);
             GraphBuilder g = new GraphBuilder(Precision.FLOAT64, false, true, 4, new int[] {-1, 0},
                     new double[] {0, 0, 0, 16})) {
            lmp.ilist.setAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, 2, lmp.nall + 7);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.build(lmp.x.address(),
                    lmp.type.address(), lmp.ilist.address(), lmp.numneigh.address(), lmp.firstneigh.address(),
                    lmp.nlocal, lmp.nall, lmp.inum));
            assertTrue(e.getMessage().contains("ilist[2]"), e.getMessage());
        }
    }
}
