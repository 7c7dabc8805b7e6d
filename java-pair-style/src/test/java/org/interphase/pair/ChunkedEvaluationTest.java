package org.interphase.pair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.interphase.inference.OnnxPotential;
import org.interphase.testsupport.FakeLammps;
import org.interphase.testsupport.Morse;
import org.interphase.testsupport.Repo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chunked, threaded evaluation: every chunk size (1 atom to the whole rank) and thread count
 * (1, 2, 3: also more threads than this machine may have) gives the closed-form Morse sum over
 * all periodic images, and the same settings give bitwise the same forces run after run. The
 * pair style is driven directly here (not through the upcall), so the thread count is not capped
 * at the hardware threads.
 */
class ChunkedEvaluationTest {
    static final String[] ELEMENTS = {null, "S", "Li", "Cl", "P"};
    static OrtEnvironment env;
    static Morse morse;

    @BeforeAll
    static void setUp() throws Exception {
        env = OnnxPotential.environment();
        morse = new Morse(Repo.root().resolve("tests/models/morse_params.json"));
    }

    /** Folded forces, per-atom energies, per-atom virials, then the global virial and energy. */
    record Outputs(double[] forces, double[] eatom, double[] vatom, double[] virial, double energy, long chunks) {}

    static Outputs run(String model, int chunk, int threads, boolean pad, FakeLammps lmp, long step) {
        PairSettings s = PairSettings.cpu(pad).withChunking(threads, chunk);
        try (PairOnnx p = new PairOnnx(env, s)) {
            p.coeff(Repo.model(model).toString(), ELEMENTS);
            lmp.setArgs(step, true, true, true, true);
            p.compute(lmp.args.address());
            return new Outputs(lmp.foldedForces(), lmp.foldedEatom(), lmp.foldedVatom(), lmp.virial(), lmp.energy(),
                    p.stats().chunksLast());
        }
    }

    static FakeLammps lammps(long seed, int n, double ghostCut, boolean ghostLists) {
        Random rnd = new Random(seed);
        double[][] h = {{13.0, 0, 0}, {1.5, 12.5, 0}, {-1.0, 0.8, 13.5}};
        double[] pos = FakeLammps.randomPositions(h, n, 2.0, rnd);
        int[] types = FakeLammps.cyclicTypes(n);
        return new FakeLammps(h, pos, types, ghostCut, 7.0, ghostLists, seed);
    }

    static void assertClose(double[] ref, double[] got, double rel, String what) {
        double scale = 0;
        for (double v : ref) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0, what + ": reference is all zero");
        for (int k = 0; k < ref.length; k++) {
            assertEquals(ref[k], got[k], rel * scale, what + "[" + k + "]");
        }
    }

    private static int[] species(FakeLammps lmp) {
        int[] s = new int[lmp.nlocal];
        for (int i = 0; i < lmp.nlocal; i++) {
            s[i] = morse.species.indexOf(ELEMENTS[lmp.types[i]]);
        }
        return s;
    }

    private void sweep(String model, double ghostCut, boolean ghostLists, int[] chunks) {
        try (FakeLammps lmp = lammps(11, 64, ghostCut, ghostLists)) {
            Morse.Result ref = morse.evaluate(lmp.h, lmp.xLocal, species(lmp));
            Outputs whole = run(model, 0, 1, true, lmp, 1);
            assertEquals(1, whole.chunks());
            for (boolean pad : new boolean[] {true, false}) {
                for (int chunk : chunks) {
                    for (int threads = 1; threads <= 3; threads++) {
                        Outputs o = run(model, chunk, threads, pad, lmp, 1);
                        String what = model + " chunk " + chunk + " threads " + threads + " pad " + pad;
                        // ceil(n / chunk), rounded up to a multiple of the threads, at most n
                        long m = chunk == 0 ? 1 : (lmp.nlocal + chunk - 1) / chunk;
                        long expectChunks = chunk == 0 ? 1 : Math.min(lmp.nlocal, (m + threads - 1) / threads * threads);
                        assertEquals(expectChunks, o.chunks(), what + ": chunks");
                        assertClose(ref.forces(), o.forces(), 1e-12, what + " forces vs closed form");
                        assertClose(ref.eatom(), o.eatom(), 1e-12, what + " eatom vs closed form");
                        assertClose(ref.vatom(), o.vatom(), 1e-12, what + " vatom vs closed form");
                        assertClose(ref.virial(), o.virial(), 1e-12, what + " virial vs closed form");
                        assertEquals(ref.energy(), o.energy(), 1e-12 * Math.abs(ref.energy()), what + " energy");
                        // and against the unchunked run of the same model
                        assertClose(whole.forces(), o.forces(), 1e-12, what + " forces vs chunk 0");
                        assertClose(whole.vatom(), o.vatom(), 1e-12, what + " vatom vs chunk 0");
                    }
                }
            }
        }
    }

    @Test
    void everyChunkSizeAndThreadCountGivesTheClosedForm() {
        sweep("morse_f64.onnx", 7.0, false, new int[] {1, 5, 17, 63, 64, 1000, 0});
    }

    @Test
    void messagePassingModelChunksCarryTheirHalo() {
        // hops 2: ghost shell 2 r_max + skin, ghost neighbour lists; each chunk's halo is its 1-hop shell
        sweep("morse_hops2_f64.onnx", 13.0, true, new int[] {1, 7, 40, 0});
    }

    @Test
    void sameSettingsGiveBitwiseIdenticalForces() {
        try (FakeLammps lmp = lammps(5, 64, 7.0, false)) {
            for (int threads = 1; threads <= 3; threads++) {
                Outputs a = run("morse_f64.onnx", 6, threads, true, lmp, 1);
                Outputs b = run("morse_f64.onnx", 6, threads, true, lmp, 2);
                assertArrayEquals(a.forces(), b.forces(), "threads " + threads);
                assertArrayEquals(a.vatom(), b.vatom(), "threads " + threads);
                assertArrayEquals(a.virial(), b.virial(), "threads " + threads);
                assertEquals(a.energy(), b.energy(), 0.0);
            }
        }
    }

    @Test
    void chunksAreSpatiallyCompact() {
        // 64 atoms in 8 chunks of 8: the recursive bisection gives boxes much smaller than the cell
        try (FakeLammps lmp = lammps(3, 64, 7.0, false)) {
            org.interphase.graph.ChunkPlan plan = new org.interphase.graph.ChunkPlan();
            org.interphase.graph.Neighbors nb = new org.interphase.graph.Neighbors(lmp.x.address(),
                    lmp.type.address(), lmp.numneigh.address(), lmp.firstneigh.address(), lmp.nlocal, lmp.nall, false);
            plan.update(nb, lmp.ilist.address(), lmp.inum, 1, new int[] {-1, 0, 1, 2, 3}, 8, 1);
            assertEquals(8, plan.chunks());
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            double meanExtent = 0;
            for (int k = 0; k < plan.chunks(); k++) {
                assertEquals(8, plan.start(k + 1) - plan.start(k), "balanced chunks");
                double[] lo = {1e9, 1e9, 1e9};
                double[] hi = {-1e9, -1e9, -1e9};
                for (int c = plan.start(k); c < plan.start(k + 1); c++) {
                    int a = plan.centres()[c];
                    assertTrue(seen.add(a), "each centre in one chunk");
                    for (int d = 0; d < 3; d++) {
                        double v = lmp.x.getAtIndex(ValueLayout.JAVA_DOUBLE, 3L * a + d);
                        lo[d] = Math.min(lo[d], v);
                        hi[d] = Math.max(hi[d], v);
                    }
                }
                meanExtent += ((hi[0] - lo[0]) + (hi[1] - lo[1]) + (hi[2] - lo[2])) / 3 / plan.chunks();
            }
            assertEquals(64, seen.size());
            // a box of 1/8 of the cell has a mean side of about half the cell (~6.5 A); random
            // subsets of 8 atoms would span nearly the whole cell (~10 A)
            assertTrue(meanExtent < 8.5, "mean chunk extent " + meanExtent + " A");
        }
    }
}
