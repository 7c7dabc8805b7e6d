package org.interphase.descriptors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.interphase.io.Box;
import org.interphase.io.Frame;
import org.interphase.io.InputException;
import org.interphase.testutil.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The potential's latent features computed in Java (our cell list + ONNX Runtime on the shipped float64
 * model) against the nequip model itself: eager PyTorch on an ASE neighbour list, written by
 * model-export/scripts/make_latent_fixtures.py into src/test/resources/latent/.
 */
class LatentFeaturesTest {
    private static final Path ROOT = Path.of(System.getProperty("interphase.root", ".."));

    /**
     * A parsed fixture. {@code relTol} follows the precision nequip ran the model in (last word of the
     * {@code source} line): float64 references match the float64 graph to 1e-10 of the largest feature; a
     * float32-trained model's references carry float32 rounding (observed 6e-7 of the largest feature).
     */
    private record Fixture(Path model, Frame frame, double[][] latent, double relTol) {
    }

    private static Fixture load(String name) throws IOException {
        List<String> l = Fixtures.lines("/latent/" + name + ".txt");
        int k = 1;
        Path model = ROOT.resolve(l.get(k++).split("\\s+")[1]);
        String[] source = l.get(k++).trim().split("\\s+");
        double relTol = source[source.length - 1].equals("float32") ? 5e-6 : 1e-10;
        int n = Integer.parseInt(l.get(k++).split("\\s+")[1]);
        int f = Integer.parseInt(l.get(k++).split("\\s+")[1]);
        assertEquals("cell", l.get(k++));
        double[] h = new double[9];
        for (int r = 0; r < 3; r++) {
            String[] t = l.get(k++).trim().split("\\s+");
            for (int c = 0; c < 3; c++) h[3 * r + c] = Double.parseDouble(t[c]);
        }
        String[] pbc = l.get(k++).trim().split("\\s+");
        boolean[] periodic = {pbc[1].equals("1"), pbc[2].equals("1"), pbc[3].equals("1")};
        assertEquals("atoms", l.get(k++));
        double[] pos = new double[3 * n];
        String[] el = new String[n];
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            String[] t = l.get(k++).trim().split("\\s+");
            el[i] = t[0];
            types[i] = 1;
            for (int d = 0; d < 3; d++) pos[3 * i + d] = Double.parseDouble(t[1 + d]);
        }
        assertEquals("latent", l.get(k++));
        double[][] lat = new double[n][f];
        for (int i = 0; i < n; i++) {
            String[] t = l.get(k++).trim().split("\\s+");
            for (int c = 0; c < f; c++) lat[i][c] = Double.parseDouble(t[c]);
        }
        return new Fixture(model, new Frame(0, 0, new Box(h, periodic), pos, types, el), lat, relTol);
    }

    @ParameterizedTest
    @ValueSource(strings = {"argyrodite-rattled", "li2s-triclinic"})
    void matchesTheNequipModelItself(String name) throws IOException {
        Fixture fx = load(name);
        try (LatentFeatures lf = new LatentFeatures(fx.model())) {
            int f = lf.dimension();
            assertEquals(fx.latent()[0].length, f);
            FeatureComputer fc = new FeatureComputer(List.of(lf), ForkJoinPool.commonPool());
            double[] got = fc.compute(fx.frame());
            double worst = 0;
            double scale = 0;
            for (int i = 0; i < fx.frame().size(); i++) {
                for (int c = 0; c < f; c++) {
                    worst = Math.max(worst, Math.abs(got[i * f + c] - fx.latent()[i][c]));
                    scale = Math.max(scale, Math.abs(fx.latent()[i][c]));
                }
            }
            assertTrue(scale > 1, "fixture features are not trivially small: " + scale);
            assertTrue(worst < fx.relTol() * scale, name + ": max |latent(Java+ORT) - latent(nequip)| = " + worst);
        }
    }

    @Test
    void worksNextToPerCentreDescriptorsAndIsTranslationInvariant() throws IOException {
        Fixture fx = load("argyrodite-rattled");
        List<String> elements = List.of("Li", "P", "S", "Cl");
        try (LatentFeatures lf = new LatentFeatures(fx.model())) {
            CoordinationNumbers cn = new CoordinationNumbers(elements, 2.5, 3.0);
            FeatureComputer fc = new FeatureComputer(List.of(cn, lf), ForkJoinPool.commonPool());
            double[] a = fc.compute(fx.frame());
            double[] shifted = fx.frame().positions().clone();
            for (int i = 0; i < shifted.length; i++) shifted[i] += 0.731 * (i % 3 + 1);
            Frame moved = new Frame(0, 0, fx.frame().box(), shifted, fx.frame().types(), fx.frame().elements());
            double[] b = fc.compute(moved);
            int d = fc.dimension();
            int cnd = cn.dimension();
            double scale = 0;
            for (double[] row : fx.latent()) for (double v : row) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < fx.frame().size(); i++) {
                for (int c = 0; c < lf.dimension(); c++) {
                    assertEquals(fx.latent()[i][c], a[i * d + cnd + c], Math.max(1e-9, fx.relTol() * scale), "latent block after the CN block");
                    assertEquals(a[i * d + cnd + c], b[i * d + cnd + c], 1e-9, "translation");
                }
            }
        }
    }

    @Test
    void float32ModelAgreesToFloat32Precision() throws IOException {
        Fixture fx = load("argyrodite-rattled");
        Path f32 = Path.of(fx.model().toString().replace(".f64.", ".f32."));
        try (LatentFeatures lf = new LatentFeatures(f32)) {
            double[] got = new FeatureComputer(List.of(lf), ForkJoinPool.commonPool()).compute(fx.frame());
            int f = lf.dimension();
            for (int i = 0; i < fx.frame().size(); i++) {
                for (int c = 0; c < f; c++) assertEquals(fx.latent()[i][c], got[i * f + c], 1e-4);
            }
        }
    }

    @Test
    void modelWithoutLatentOutputIsAClearError() {
        InputException e = assertThrows(InputException.class,
                () -> new LatentFeatures(ROOT.resolve("tests/models/morse_f64.onnx")));
        assertTrue(e.getMessage().contains("has no node_latent output") && e.getMessage().contains("interphase-export"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void missingAndNonOnnxFilesAreClearErrors(@TempDir Path tmp) throws IOException {
        InputException missing = assertThrows(InputException.class, () -> new LatentFeatures(tmp.resolve("nope.onnx")));
        assertTrue(missing.getMessage().contains("is not a readable file"), missing.getMessage());
        Path junk = Files.writeString(tmp.resolve("junk.onnx"), "not a model");
        InputException bad = assertThrows(InputException.class, () -> new LatentFeatures(junk));
        assertTrue(bad.getMessage().contains("is not a valid ONNX model"), bad.getMessage());
        assertFalse(bad.getMessage().contains("\n"));
    }

    @Test
    void elementTheModelDoesNotKnowIsAClearError() throws IOException {
        Fixture fx = load("argyrodite-rattled");
        try (LatentFeatures lf = new LatentFeatures(fx.model())) {
            InputException e = assertThrows(InputException.class, () -> lf.requireElements(java.util.Set.of("Li", "Na")));
            assertTrue(e.getMessage().contains("[Na]") && e.getMessage().contains("leave out --latent"), e.getMessage());
        }
    }

    /** Issue 14: ONNX Runtime's C++ signatures and source locations never reach the user's error line. */
    @Test
    void onnxRuntimeMessagesLoseTheirCxxDetails() {
        String zeroByte = "Error code - ORT_FAIL - message: Load model from /tmp/zero.onnx failed:/onnxruntime_src/onnxruntime/core/graph/"
                + "model.cc:177 onnxruntime::Model::Model(onnx::ModelProto&&, const onnxruntime::PathString&, const "
                + "onnxruntime::IOnnxRuntimeOpSchemaRegistryList*, const onnxruntime::logging::Logger&, con...";
        org.junit.jupiter.api.Assertions.assertEquals("no reason given", LatentFeatures.firstLine(zeroByte));
        org.junit.jupiter.api.Assertions.assertEquals("Protobuf parsing failed.", LatentFeatures.firstLine(
                "Error code - ORT_INVALID_PROTOBUF - message: Load model from junk.onnx failed:Protobuf parsing failed."));
    }
}
