package org.interphase.bridge;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.interphase.testsupport.FakeLammps;
import org.interphase.testsupport.NativeBridge;
import org.interphase.testsupport.Repo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every failure inside an upcall comes back as a return code plus one error line; nothing escapes. */
class UpcallErrorTest {
    static NativeBridge bridge;
    static final String[] ELEMENTS = {null, "Li", "P", "S", "Cl"};
    static final double[][] CELL = {{8, 0, 0}, {0, 8, 0}, {0, 0, 8}};

    @BeforeAll
    static void setUp() {
        bridge = new NativeBridge();
    }

    @AfterAll
    static void tearDown() {
        bridge.close();
    }

    private long ready(String model) throws Throwable {
        long h = bridge.create(true).handle();
        assertEquals(BridgeLayouts.IPH_OK, bridge.coeff(h, Repo.model(model).toString(), ELEMENTS).code(), bridge.error());
        return h;
    }

    private static void assertOneLine(String m) {
        assertFalse(m.isEmpty(), "an error message is written");
        assertFalse(m.contains("\n"), "one line: " + m);
        assertFalse(m.contains("\tat "), "no stack trace: " + m);
    }

    @Test
    void exceptionInsideComputeIsErrOne() throws Throwable {
        long h = ready("morse_f64.onnx");
        double[] pos = FakeLammps.randomPositions(CELL, 6, 1.5, new java.util.Random(1));
        try (FakeLammps lmp = new FakeLammps(CELL, pos, new int[] {1, 2, 3, 4, 1, 2}, 7, 7, false, 1)) {
            lmp.ilist.setAtIndex(JAVA_INT, 3, lmp.nall + 100); // corrupt neighbor list -> exception in Java
            assertEquals(BridgeLayouts.IPH_ERR_ONE, bridge.compute(h, lmp.args));
            assertOneLine(bridge.error());
            assertTrue(bridge.error().startsWith("neighbor list: ilist[3] = "), bridge.error());
        } finally {
            bridge.destroy(h);
        }
    }

    @Test
    void nanFromOverlappingAtomsIsErrOne() throws Throwable {
        long h = ready("morse_f64.onnx");
        double[] pos = {1, 1, 1, 1, 1, 1, 4, 4, 4}; // atoms 0 and 1 coincide: r = 0 -> 0/0 in the edge force
        try (FakeLammps lmp = new FakeLammps(CELL, pos, new int[] {1, 3, 2}, 7, 7, false, 2)) {
            lmp.setArgs(17, true, true, true, true);
            assertEquals(BridgeLayouts.IPH_ERR_ONE, bridge.compute(h, lmp.args));
            String m = bridge.error();
            assertOneLine(m);
            // atoms 0 and 1 coincide: named by their LAMMPS atom IDs (1 and 2), not by local indices
            assertTrue(m.startsWith("model output has NaN/Inf at step 17 (edge force between atoms ID 1 and ID 2, ")
                    || m.startsWith("model output has NaN/Inf at step 17 (edge force between atoms ID 2 and ID 1, "), m);
            assertTrue(m.endsWith("atoms too close or outside the training domain; check the structure / timestep"), m);
            // nothing was added to LAMMPS's arrays
            assertEquals(0.0, lmp.energy());
            for (double v : lmp.f.toArray(JAVA_DOUBLE)) {
                assertEquals(0.0, v);
            }
        } finally {
            bridge.destroy(h);
        }
    }

    @Test
    void computeBeforeCoeffAndUnknownHandle() throws Throwable {
        long h = bridge.create(true).handle();
        double[] pos = {1, 1, 1, 3, 3, 3};
        try (FakeLammps lmp = new FakeLammps(CELL, pos, new int[] {1, 1}, 7, 7, false, 3)) {
            assertEquals(BridgeLayouts.IPH_ERR_ONE, bridge.compute(h, lmp.args));
            assertTrue(bridge.error().contains("compute before pair_coeff"), bridge.error());
            assertEquals(BridgeLayouts.IPH_ERR_ONE, bridge.compute(987654L, lmp.args));
            assertTrue(bridge.error().startsWith("unknown pair_style onnx handle 987654"), bridge.error());
        }
        assertEquals(BridgeLayouts.IPH_OK, bridge.destroy(h));
        assertEquals(BridgeLayouts.IPH_ERR_ONE, bridge.destroy(h), "double destroy is reported, not a crash");
        assertOneLine(bridge.error());
    }

    @Test
    void unknownElementInPairCoeff() throws Throwable {
        long h = bridge.create(true).handle();
        NativeBridge.Coeff c = bridge.coeff(h, Repo.model("morse_f64.onnx").toString(), new String[] {null, "Li", "Xx"});
        assertEquals(BridgeLayouts.IPH_ERR_ALL, c.code());
        assertEquals("pair_coeff element Xx is not in model morse_f64.onnx (species: Li P S Cl): fix the pair_coeff line "
                + "or use a model trained on Xx", bridge.error());
        bridge.destroy(h);
    }

    @Test
    void badModelInPairCoeffIsErrAll() throws Throwable {
        long h = bridge.create(true).handle();
        assertEquals(BridgeLayouts.IPH_ERR_ALL, bridge.coeff(h, Repo.model("bad_missing_r_max.onnx").toString(), ELEMENTS).code());
        assertEquals("model bad_missing_r_max.onnx lacks metadata 'interphase.r_max': re-export it with interphase-export "
                + "(contract v1, docs/model-contract.md)", bridge.error());
        assertEquals(BridgeLayouts.IPH_ERR_ALL, bridge.coeff(h, Repo.model("not_onnx.onnx").toString(), ELEMENTS).code());
        assertOneLine(bridge.error());
        assertTrue(bridge.error().startsWith("model not_onnx.onnx is not a valid ONNX model"), bridge.error());
        bridge.destroy(h);
    }

    @Test
    void cudaWithoutCudaBuildIsErrAll() throws Throwable {
        org.interphase.inference.OrtNativeLibraries.configure();
        if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return; // the GPU build: this bad input does not exist there
        }
        NativeBridge.Created c = bridge.create("device", "cuda");
        assertEquals(BridgeLayouts.IPH_ERR_ALL, c.code());
        assertOneLine(bridge.error());
        assertTrue(bridge.error().contains("build the bridge with 'mvn -Pcuda package'"), bridge.error());
    }

    @Test
    void abiMismatchIsErrAll() throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(BridgeLayouts.SETTINGS);
            BridgeLayouts.SETTINGS_ABI_VERSION.set(s, 0L, 99);
            NativeBridge.Created c = bridge.create(s);
            assertEquals(BridgeLayouts.IPH_ERR_ALL, c.code());
            assertTrue(bridge.error().startsWith("the pair_style onnx plugin speaks bridge ABI v99 but the Java bridge jar speaks v" + BridgeLayouts.ABI_VERSION),
                    bridge.error());
        }
    }

    @Test
    void bootstrapRejectsAWrongTableSize() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment t = a.allocate(BridgeLayouts.VTABLE.byteSize() - 8);
            assertEquals(1, NativeEntry.bootstrap(t.address(), t.byteSize()));
            assertEquals(BridgeLayouts.ABI_VERSION, t.get(JAVA_INT, 0));
            assertEquals((int) BridgeLayouts.VTABLE.byteSize(), t.get(JAVA_INT, 4));
            assertEquals(2, NativeEntry.bootstrap(0, 48));
        }
    }

    @Test
    void errorTextIsTruncatedOnACharacterBoundaryAndTerminated() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(16);
            err.fill((byte) 'x');
            Upcalls.writeError("Ångström ångström ångström", err, 10);
            byte[] b = err.asSlice(0, 10).toArray(JAVA_BYTE);
            int n = 0;
            while (b[n] != 0) {
                n++;
            }
            assertTrue(n <= 9);
            String s = new String(b, 0, n, StandardCharsets.UTF_8);
            assertTrue("Ångström ångström".startsWith(s) && !s.contains("\uFFFD"), s);
            assertEquals('x', err.get(JAVA_BYTE, 10), "nothing written past errcap");
        }
    }

    @Test
    void unexpectedThrowableBecomesOneLine() {
        String m = Upcalls.message(new NullPointerException("boom\nsecond line"), "pair_style onnx compute");
        assertEquals("pair_style onnx compute failed: java.lang.NullPointerException: boom second line "
                + "(unexpected error in the Java bridge; please report it with the input)", m);
    }
}
