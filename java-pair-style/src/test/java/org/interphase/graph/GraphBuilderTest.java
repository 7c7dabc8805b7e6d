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
        try (GraphBuilder g = new GraphBuilder(precision, true, pad, rmax, 1, speciesOfType, cutsq)) {
            for (int frame = 0; frame < sizes.length; frame++) {
                int n = sizes[frame];
                double[] pos = FakeLammps.randomPositions(h, n, 0.8, rnd);
                int[] types = new int[n];
                for (int i = 0; i < n; i++) {
                    types[i] = 1 + rnd.nextInt(ntypes);
                }
                try (FakeLammps lmp = new FakeLammps(h, pos, types, rmax + 1.0, rmax + 1.0, false, seed + frame)) {
                    int edgeBucket = g.edges();
                    g.build(neighbors(lmp), ilist(lmp), 0, lmp.inum);
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
            // nodes: the centres first (mask 1), then the neighbours they need (mask 0), each with its species
            java.util.Set<Integer> needed = new java.util.HashSet<>();
            for (int e = 0; e < g.realEdges(); e++) {
                needed.add(g.edgeCentre(e));
                needed.add(g.edgeNeighbor(e));
            }
            java.util.Set<Integer> nodeSet = new java.util.HashSet<>();
            for (int node = 0; node < g.realNodes(); node++) {
                int a = g.nodeAtom(node);
                assertTrue(nodeSet.add(a), what + ": atom " + a + " is one node");
                assertEquals(speciesOfType[lmp.types[a]], b.atomTypes().getAtIndex(JAVA_LONG, node));
                assertEquals(node < lmp.inum ? 1.0 : 0.0, mask(b, node));
            }
            for (int c = 0; c < lmp.inum; c++) {
                needed.add(lmp.ilist.getAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, c));
            }
            assertEquals(needed, nodeSet, what + ": nodes are exactly the centres and their neighbours");
            if (pad) {
                int dummy = g.realNodes();
                assertTrue(bucketOk(g.nodes(), dummy + 1), what + ": node bucket " + g.nodes() + " for " + (dummy + 1));
                assertTrue(g.edges() > g.realEdges() && bucketOk(g.edges(), g.realEdges() + 1),
                        what + ": edge bucket " + g.edges() + " for " + (g.realEdges() + 1));
                for (int i = dummy; i < g.nodes(); i++) {
                    assertEquals(0L, b.atomTypes().getAtIndex(JAVA_LONG, i));
                    assertEquals(0.0, mask(b, i));
                }
                for (int e = g.realEdges(); e < g.edges(); e++) {
                    assertEquals(dummy, b.edgeIndex().getAtIndex(JAVA_LONG, e), what + ": dummy edge " + e);
                    assertEquals(dummy, b.edgeIndex().getAtIndex(JAVA_LONG, (long) g.edges() + e), what + ": dummy edge " + e);
                    assertEquals(1.5 * rmax, vec(b, e, 0), 1e-6);
                    assertEquals(0.0, vec(b, e, 1));
                    assertEquals(0.0, vec(b, e, 2));
                }
            } else {
                assertEquals(g.realNodes(), g.nodes());
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

    static Neighbors neighbors(FakeLammps lmp) {
        return new Neighbors(lmp.x.address(), lmp.type.address(), lmp.numneigh.address(), lmp.firstneigh.address(),
                lmp.nlocal, lmp.nall, lmp.gnum > 0);
    }

    static int[] ilist(FakeLammps lmp) {
        return lmp.ilist.asSlice(0, 4L * lmp.inum).toArray(java.lang.foreign.ValueLayout.JAVA_INT);
    }

    /**
     * A 2-hop graph holds, besides the local centres, the halo: edges centred on every atom
     * within one edge of a centre (ghosts included) and no others, compared with a breadth-first
     * search over the brute-force all-images pair list.
     */
    @Test
    void twoHopGraphHoldsExactlyTheHaloEdges() {
        Random rnd = new Random(5);
        double[][] h = cell(rnd, true);
        double[] pos = FakeLammps.randomPositions(h, 10, 1.0, rnd);
        int[] types = new int[10];
        java.util.Arrays.fill(types, 1);
        double rc = 4.0;
        try (FakeLammps lmp = new FakeLammps(h, pos, types, 2 * rc, rc + 0.5, true, 5);
             GraphBuilder g = new GraphBuilder(Precision.FLOAT64, true, true, rc, 2, new int[] {-1, 0},
                     new double[] {0, 0, 0, rc * rc})) {
            int[] centres = {0, 3, 7};
            g.build(neighbors(lmp), centres, 0, centres.length);
            // reference: sources = the centres and every atom within rc of one (as LAMMPS atoms)
            java.util.Set<Integer> sources = new java.util.TreeSet<>();
            int refEdges = 0;
            for (int a = 0; a < lmp.nall; a++) {
                boolean src = false;
                for (int c : centres) {
                    src |= a == c || dist(lmp, a, c) < rc;
                }
                if (!src) {
                    continue;
                }
                sources.add(a);
                for (int b = 0; b < lmp.nall; b++) {
                    if (b != a && dist(lmp, a, b) < rc) {
                        refEdges++;
                    }
                }
            }
            java.util.Set<Integer> got = new java.util.TreeSet<>();
            for (int e = 0; e < g.realEdges(); e++) {
                got.add(g.edgeCentre(e));
            }
            assertEquals(sources, got, "edge sources");
            assertEquals(refEdges, g.realEdges(), "edges");
            assertEquals(3, g.ownCentres());
            for (int c = 0; c < 3; c++) {
                assertEquals(centres[c], g.nodeAtom(c), "own centres first, in order");
            }
            // the mask marks exactly the own centres
            for (int n = 0; n < g.nodes(); n++) {
                assertEquals(n < 3 ? 1.0 : 0.0, g.buffers().mask().getAtIndex(JAVA_DOUBLE, n), "mask of node " + n);
            }
        }
    }

    private static double dist(FakeLammps lmp, int a, int b) {
        double s = 0;
        for (int k = 0; k < 3; k++) {
            double d = lmp.xAt(a, k) - lmp.xAt(b, k);
            s += d * d;
        }
        return Math.sqrt(s);
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
             GraphBuilder g = new GraphBuilder(Precision.FLOAT64, false, true, 4, 1, new int[] {-1, 0},
                     new double[] {0, 0, 0, 16})) {
            lmp.ilist.setAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, 2, lmp.nall + 7);
            ChunkPlan plan = new ChunkPlan();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> plan.update(neighbors(lmp), lmp.ilist.address(), lmp.inum, 1, new int[] {-1, 0}, 0, 1));
            assertTrue(e.getMessage().contains("ilist[2]"), e.getMessage());
            // a neighbour index beyond nall in a list is caught by the builder
            lmp.ilist.setAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, 2, 2);
            long jl = lmp.firstneigh.getAtIndex(java.lang.foreign.ValueLayout.ADDRESS, 0).address();
            if (lmp.numneigh.getAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, 0) > 0) {
                NativeMemory.ALL.set(NativeMemory.INT, jl, lmp.nall + 3);
                IllegalStateException e2 = assertThrows(IllegalStateException.class,
                        () -> g.build(neighbors(lmp), new int[] {0}, 0, 1));
                assertTrue(e2.getMessage().contains("outside 0.."), e2.getMessage());
            }
        }
    }
}
