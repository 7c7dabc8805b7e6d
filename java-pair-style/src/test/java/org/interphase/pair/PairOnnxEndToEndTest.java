package org.interphase.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.interphase.bridge.BridgeLayouts;
import org.interphase.graph.Buckets;
import org.interphase.testsupport.FakeLammps;
import org.interphase.testsupport.Morse;
import org.interphase.testsupport.NativeBridge;
import org.interphase.testsupport.Repo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end through the FFM upcall stubs: fake LAMMPS arrays -> compute -> Morse ONNX model ->
 * forces/energies/virials in the arrays, compared with the closed-form Morse sum over all
 * periodic images (after folding ghost contributions onto their owners, as LAMMPS's reverse
 * communication does).
 */
class PairOnnxEndToEndTest {
    static NativeBridge bridge;
    static Morse morse;
    // LAMMPS types 1..4 -> elements (a permutation of the model order Li P S Cl)
    static final String[] ELEMENTS = {null, "S", "Li", "Cl", "P"};

    @BeforeAll
    static void setUp() throws Exception {
        bridge = new NativeBridge();
        assertEquals(0, bridge.bootstrapCode);
        morse = new Morse(Repo.root().resolve("tests/models/morse_params.json"));
    }

    @AfterAll
    static void tearDown() {
        bridge.close();
    }

    /** A random triclinic Li-P-S-Cl configuration. */
    record Config(double[][] h, double[] pos, int[] types) {}

    static Config config(long seed, int n) {
        Random rnd = new Random(seed);
        double[][] h = {{9.5, 0, 0}, {1.2, 9.0, 0}, {-0.8, 0.9, 9.8}};
        double[] pos = FakeLammps.randomPositions(h, n, 2.0, rnd);
        int[] types = FakeLammps.cyclicTypes(n);
        return new Config(h, pos, types);
    }

    static int[] species(int[] types, String[] elements) {
        int[] s = new int[types.length];
        for (int i = 0; i < types.length; i++) {
            s[i] = morse.species.indexOf(elements[types[i]]);
        }
        return s;
    }

    static void assertClose(double[] ref, double[] got, double rel, String what) {
        assertEquals(ref.length, got.length, what + " length");
        double scale = 0;
        for (double v : ref) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0, what + " reference is not all zero");
        double worst = 0;
        for (int k = 0; k < ref.length; k++) {
            worst = Math.max(worst, Math.abs(ref[k] - got[k]));
        }
        assertTrue(worst <= rel * scale, what + ": max |diff| " + worst + " > " + rel + " * " + scale);
    }

    /** Runs compute on lmp through the bridge and checks it against the closed form. */
    static void computeAndCheck(long handle, FakeLammps lmp, Config c, long step, double rel) throws Throwable {
        lmp.setArgs(step, true, true, true, true);
        assertEquals(BridgeLayouts.IPH_OK, bridge.compute(handle, lmp.args), bridge.error());
        Morse.Result ref = morse.evaluate(c.h(), lmp.xLocal, species(c.types(), ELEMENTS));
        // energy scale: |E| in float64; in float32 the rounding scale is the per-atom energies, since E is a
        // near-cancelling sum of positive and negative terms (here |E| ~ 0.6 eV vs sum |e_i| ~ 10 eV)
        double escale = Math.abs(ref.energy());
        if (rel > 1e-12) {
            escale = 0;
            for (double e : ref.eatom()) {
                escale += Math.abs(e);
            }
        }
        assertEquals(ref.energy(), lmp.energy(), rel * escale, "energy");
        assertClose(ref.forces(), lmp.foldedForces(), rel, "forces");
        assertClose(ref.eatom(), lmp.foldedEatom(), rel, "per-atom energy");
        assertClose(ref.virial(), lmp.virial(), rel, "virial");
        assertClose(ref.vatom(), lmp.foldedVatom(), rel, "per-atom virial");
        // ghosts carry energy only through their owners: eatom of ghosts stays 0
        for (int i = lmp.nlocal; i < lmp.nall; i++) {
            assertEquals(0.0, lmp.eatom.getAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, i));
        }
    }

    private void float64Run(String model, boolean pad, double ghostCut, boolean ghostCentres) throws Throwable {
        Config c = config(42, 28);
        long h = bridge.create(pad).handle();
        NativeBridge.Coeff co = bridge.coeff(h, Repo.model(model).toString(), ELEMENTS);
        assertEquals(BridgeLayouts.IPH_OK, co.code(), bridge.error());
        try (FakeLammps lmp = new FakeLammps(c.h(), c.pos(), c.types(), ghostCut, 7.0, ghostCentres, 42)) {
            computeAndCheck(h, lmp, c, 1, 1e-12);
            // second step: atoms move, the neighbour lists (skin 1 A) stay, the cached tensors must see the new data
            Random rnd = new Random(7);
            double[] d = new double[3 * lmp.nlocal];
            for (int k = 0; k < d.length; k++) {
                d[k] = 0.1 * (rnd.nextDouble() - 0.5);
            }
            lmp.displace(d);
            computeAndCheck(h, lmp, c, 2, 1e-12);
            MemorySegment s = bridge.stats(h);
            assertEquals(2L, (long) BridgeLayouts.STATS_NCALLS.get(s, 0L));
            long nodes = (long) BridgeLayouts.STATS_NODES_LAST.get(s, 0L);
            // nodes: the local centres and the atoms they need, at most all atoms (+ padding)
            assertTrue(nodes >= lmp.nlocal && nodes <= Math.ceil(Buckets.GROW * (lmp.nall + 1)),
                    "nodes " + nodes + " vs nlocal " + lmp.nlocal + ", nall " + lmp.nall);
            assertTrue((double) BridgeLayouts.STATS_SECONDS_ONNX.get(s, 0L) > 0);
            assertTrue((long) BridgeLayouts.STATS_BUFFER_BYTES.get(s, 0L) > 0);
        } finally {
            assertEquals(BridgeLayouts.IPH_OK, bridge.destroy(h), bridge.error());
        }
    }

    @Test
    void float64PaddedMatchesClosedForm() throws Throwable {
        float64Run("morse_f64.onnx", true, 7.0, false);
    }

    @Test
    void float64UnpaddedMatchesClosedForm() throws Throwable {
        float64Run("morse_f64.onnx", false, 7.0, false);
    }

    @Test
    void messagePassingModelWithGhostCentresMatchesClosedForm() throws Throwable {
        // hops 2: ghost shell 2 r_max, ghost centres in ilist, node_energy_mask 1 on local atoms only
        float64Run("morse_hops2_f64.onnx", true, 13.0, true);
    }

    @Test
    void paddingOnAndOffGiveIdenticalResults() throws Throwable {
        Config c = config(9, 24);
        double[][] results = new double[2][];
        for (int p = 0; p < 2; p++) {
            long h = bridge.create(p == 0).handle();
            assertEquals(0, bridge.coeff(h, Repo.model("morse_f64.onnx").toString(), ELEMENTS).code(), bridge.error());
            try (FakeLammps lmp = new FakeLammps(c.h(), c.pos(), c.types(), 7.0, 7.0, false, 9)) {
                lmp.setArgs(1, true, true, true, true);
                assertEquals(0, bridge.compute(h, lmp.args), bridge.error());
                double[] f = lmp.f.toArray(java.lang.foreign.ValueLayout.JAVA_DOUBLE);
                double[] v = lmp.virial();
                double[] va = lmp.vatom.toArray(java.lang.foreign.ValueLayout.JAVA_DOUBLE);
                double[] ea = lmp.eatom.toArray(java.lang.foreign.ValueLayout.JAVA_DOUBLE);
                double[] all = new double[f.length + v.length + va.length + ea.length + 1];
                System.arraycopy(f, 0, all, 0, f.length);
                System.arraycopy(v, 0, all, f.length, v.length);
                System.arraycopy(va, 0, all, f.length + v.length, va.length);
                System.arraycopy(ea, 0, all, f.length + v.length + va.length, ea.length);
                all[all.length - 1] = lmp.energy();
                results[p] = all;
            }
            bridge.destroy(h);
        }
        assertClose(results[0], results[1], 1e-14, "pad yes vs pad no");
    }

    @Test
    void float32WithinOneInTenToTheFive() throws Throwable {
        Config c = config(5, 28);
        long h = bridge.create("ort_threads", "1").handle();
        assertEquals(0, bridge.coeff(h, Repo.model("morse_f32.onnx").toString(), ELEMENTS).code(), bridge.error());
        try (FakeLammps lmp = new FakeLammps(c.h(), c.pos(), c.types(), 7.0, 7.0, false, 5)) {
            computeAndCheck(h, lmp, c, 1, 1e-5);
        } finally {
            bridge.destroy(h);
        }
    }

    @Test
    void nullTypesAreIgnoredAndFlagsRespected() throws Throwable {
        // type 4 (P) is NULL: the pair style must ignore those atoms completely
        String[] elements = {null, "S", "Li", "Cl", null};
        Config c = config(13, 24);
        long h = bridge.create(true).handle();
        NativeBridge.Coeff co = bridge.coeff(h, Repo.model("morse_f64.onnx").toString(), elements);
        assertEquals(0, co.code(), bridge.error());
        assertEquals(1, co.hops());
        assertEquals(6.0, co.rMax());
        assertEquals(6.0, co.typeCutoff()[1 * 5 + 2]);
        assertEquals(0.0, co.typeCutoff()[4 * 5 + 1]);
        assertEquals(0.0, co.typeCutoff()[2 * 5 + 4]);
        try (FakeLammps lmp = new FakeLammps(c.h(), c.pos(), c.types(), 7.0, 7.0, false, 13)) {
            // energy and virial only (no per-atom arrays: NULL pointers)
            lmp.setArgs(3, true, false, true, false);
            assertEquals(0, bridge.compute(h, lmp.args), bridge.error());
            int m = 0;
            for (int t : c.types()) {
                m += t == 4 ? 0 : 1;
            }
            double[] pos = new double[3 * m];
            int[] sp = new int[m];
            int[] where = new int[m];
            for (int i = 0, k = 0; i < c.types().length; i++) {
                if (c.types()[i] != 4) {
                    System.arraycopy(c.pos(), 3 * i, pos, 3 * k, 3);
                    sp[k] = morse.species.indexOf(elements[c.types()[i]]);
                    where[k++] = i;
                }
            }
            Morse.Result ref = morse.evaluate(c.h(), pos, sp);
            assertEquals(ref.energy(), lmp.energy(), 1e-12 * Math.abs(ref.energy()));
            assertClose(ref.virial(), lmp.virial(), 1e-12, "virial");
            double[] f = lmp.foldedForces();
            double[] fm = new double[3 * m];
            for (int k = 0; k < m; k++) {
                System.arraycopy(f, 3 * where[k], fm, 3 * k, 3);
            }
            assertClose(ref.forces(), fm, 1e-12, "forces");
            for (int i = 0; i < c.types().length; i++) {
                if (c.types()[i] == 4) {
                    assertEquals(0.0, Math.abs(f[3 * i]) + Math.abs(f[3 * i + 1]) + Math.abs(f[3 * i + 2]));
                }
            }
            // no energy when eflag_global is 0
            lmp.setArgs(4, false, false, false, false);
            assertEquals(0, bridge.compute(h, lmp.args), bridge.error());
            assertEquals(0.0, lmp.energy());
            assertEquals(0.0, lmp.virial()[0]);
        } finally {
            bridge.destroy(h);
        }
    }

    @Test
    void perTypeCutoffModelMatchesClosedFormWithPairCutoffs() throws Throwable {
        Config c = config(17, 28);
        long h = bridge.create(true).handle();
        NativeBridge.Coeff co = bridge.coeff(h, Repo.model("morse_pertype_f64.onnx").toString(), ELEMENTS);
        assertEquals(0, co.code(), bridge.error());
        assertEquals(4.5, co.typeCutoff()[2 * 5 + 2]); // type 2 = Li, Li-Li
        assertEquals(5.0, co.typeCutoff()[2 * 5 + 3]); // Li-Cl
        assertEquals(5.5, co.typeCutoff()[1 * 5 + 1]); // S-S
        try (FakeLammps lmp = new FakeLammps(c.h(), c.pos(), c.types(), 7.0, 7.0, false, 17)) {
            lmp.setArgs(1, true, true, true, true);
            assertEquals(0, bridge.compute(h, lmp.args), bridge.error());
            // reference: same Morse, pair cutoffs from the model's per-type table
            int[] sp = species(c.types(), ELEMENTS);
            double e = 0;
            double[] f = new double[3 * sp.length];
            for (org.interphase.testsupport.AllImages.Pair p : org.interphase.testsupport.AllImages.pairs(c.h(), c.pos(),
                    c.types(), (a, b) -> co.typeCutoff()[a * 5 + b], 6.0)) {
                int a = sp[p.i()];
                int b = sp[p.j()];
                e += 0.5 * morse.phi(a, b, p.r());
                double g = morse.dphi(a, b, p.r()) / p.r();
                f[3 * p.i()] += g * p.dx();
                f[3 * p.i() + 1] += g * p.dy();
                f[3 * p.i() + 2] += g * p.dz();
            }
            assertEquals(e, lmp.energy(), 1e-12 * Math.abs(e));
            assertClose(f, lmp.foldedForces(), 1e-12, "forces");
        } finally {
            bridge.destroy(h);
        }
    }

    @Test
    void steadyStateStepsReuseTensorsAndReportStats() throws Throwable {
        Config c = config(3, 28);
        long h = bridge.create(true).handle();
        assertEquals(0, bridge.coeff(h, Repo.model("morse_f64.onnx").toString(), ELEMENTS).code(), bridge.error());
        try (FakeLammps lmp = new FakeLammps(c.h(), c.pos(), c.types(), 7.0, 7.0, false, 3)) {
            int steps = 40;
            for (int s = 0; s < steps; s++) {
                lmp.setArgs(s, true, false, true, false);
                assertEquals(0, bridge.compute(h, lmp.args), bridge.error());
            }
            MemorySegment st = bridge.stats(h);
            assertEquals((long) steps, (long) BridgeLayouts.STATS_NCALLS.get(st, 0L));
            assertEquals(0L, (long) BridgeLayouts.STATS_REALLOCATIONS.get(st, 0L), "same graph: no reallocation");
            long perCall = (long) BridgeLayouts.STATS_HEAP_BYTES_PER_CALL.get(st, 0L);
            System.out.println("heap bytes per call (ONNX Runtime Java API incl.): " + perCall
                    + ", nodes " + (long) BridgeLayouts.STATS_NODES_LAST.get(st, 0L)
                    + ", edges " + (long) BridgeLayouts.STATS_EDGES_LAST.get(st, 0L));
            assertTrue(perCall >= 0);
        } finally {
            bridge.destroy(h);
        }
    }

    @Test
    void isolatedAtomsAndEmptyRanksGiveZero() throws Throwable {
        // two atoms 7 A apart in a 20 A box: no edge within rc = 6 (a graph with E = 0), and a rank without atoms
        double[][] cell = {{20, 0, 0}, {0, 20, 0}, {0, 0, 20}};
        for (boolean pad : new boolean[] {true, false}) {
            long h = bridge.create(pad).handle();
            assertEquals(0, bridge.coeff(h, Repo.model("morse_f64.onnx").toString(), ELEMENTS).code(), bridge.error());
            try (FakeLammps lmp = new FakeLammps(cell, new double[] {1, 1, 1, 8, 1, 1}, new int[] {1, 2}, 7, 7, false, 1)) {
                lmp.setArgs(1, true, true, true, true);
                assertEquals(0, bridge.compute(h, lmp.args), "pad " + pad + ": " + bridge.error());
                assertEquals(0.0, lmp.energy());
                assertEquals(0.0, lmp.foldedForces()[0]);
            }
            try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
                MemorySegment args = a.allocate(BridgeLayouts.COMPUTE_ARGS); // all NULL, nlocal = nghost = inum = 0
                MemorySegment eng = a.allocate(8);
                MemorySegment vir = a.allocate(48);
                BridgeLayouts.COMPUTE_ENG_VDWL.set(args, 0L, eng);
                BridgeLayouts.COMPUTE_VIRIAL.set(args, 0L, vir);
                BridgeLayouts.COMPUTE_EFLAG_GLOBAL.set(args, 0L, 1);
                BridgeLayouts.COMPUTE_VFLAG_GLOBAL.set(args, 0L, 1);
                assertEquals(0, bridge.compute(h, args), bridge.error());
                assertEquals(0.0, eng.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0));
            }
            bridge.destroy(h);
        }
    }
}
