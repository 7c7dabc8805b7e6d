package org.interphase.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Path;
import java.util.List;
import org.interphase.graph.Precision;
import org.interphase.testsupport.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Contract v1 validation with real (generated) ONNX files: each bad model gets its own one-line message. */
class ModelContractTest {
    private static final OrtEnvironment ENV = OnnxPotential.environment();
    private static final String FIX = "re-export it with interphase-export (contract v1, docs/model-contract.md)";

    private static String error(Path model) {
        ModelContractException e = assertThrows(ModelContractException.class,
                () -> OnnxPotential.open(ENV, model, InferenceSettings.cpu()).close());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void validModelsAreRead() {
        try (OnnxPotential p = OnnxPotential.open(ENV, Repo.model("morse_f64.onnx"), InferenceSettings.cpu())) {
            ModelContract c = p.contract();
            assertEquals(List.of("Li", "P", "S", "Cl"), c.species());
            assertEquals(6.0, c.rMax());
            assertEquals(1, c.hops());
            assertEquals(Precision.FLOAT64, c.precision());
            assertFalse(c.hasMask());
            assertEquals(6.0, c.cutoff(3, 1));
        }
        try (OnnxPotential p = OnnxPotential.open(ENV, Repo.model("morse_f32.onnx"), InferenceSettings.cpu())) {
            assertEquals(Precision.FLOAT32, p.contract().precision());
        }
        try (OnnxPotential p = OnnxPotential.open(ENV, Repo.model("morse_hops2_f64.onnx"), InferenceSettings.cpu())) {
            assertEquals(2, p.contract().hops());
            assertTrue(p.contract().hasMask());
        }
        try (OnnxPotential p = OnnxPotential.open(ENV, Repo.model("morse_pertype_f64.onnx"), InferenceSettings.cpu())) {
            ModelContract c = p.contract();
            assertEquals(4.5, c.cutoff(0, 0)); // Li-Li
            assertEquals(5.0, c.cutoff(0, 3)); // Li-Cl
            assertEquals(5.0, c.cutoff(3, 0));
            assertEquals(5.5, c.cutoff(2, 2)); // S-S
            assertEquals(6.0, c.cutoff(1, 2));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad_missing_edge_forces.onnx | lacks output 'edge_forces' (float64 [E,3])",
        "bad_missing_atom_types.onnx  | lacks input 'atom_types' (int64 [N])",
        "bad_missing_r_max.onnx       | lacks metadata 'interphase.r_max'",
        "bad_contract_version.onnx    | has interphase.contract '3' but this bridge reads contracts v1 and v2"})
    void contractViolationsNameTheModelAndTheFix(String model, String what) {
        assertEquals("model " + model + " " + what + ": " + FIX, error(Repo.model(model)));
    }

    /** The NequIP fixture exported per layer (model-export/fixtures/nequip-tiny/contract-v2). */
    @Test
    void layeredModelIsReadWithItsStages() {
        Path manifest = Repo.root().resolve("model-export/fixtures/nequip-tiny/contract-v2/nequip-tiny.f64.onnx");
        OnnxPotential p = OnnxPotential.open(ENV, manifest, InferenceSettings.cpu());
        try (LayeredModel m = LayeredModel.open(p, manifest, InferenceSettings.cpu())) {
            ModelContract c = m.contract();
            assertEquals(2, c.hops());
            assertEquals(4.0, c.rMax());
            assertEquals(Precision.FLOAT64, c.precision());
            assertEquals(2, m.layers().count());
            assertEquals(8, m.layers().width(0));
            assertEquals(32, m.layers().width(1));
            assertEquals(8, m.layers().width(2));
            assertEquals(32, m.layers().maxWidth());
            assertEquals(List.of("nequip-tiny.f64.layer0.onnx", "nequip-tiny.f64.layer0.vjp.onnx",
                    "nequip-tiny.f64.layer1.onnx", "nequip-tiny.f64.layer1.vjp.onnx"), m.layers().graphFiles());
            assertTrue(c.activationBytesPerEdge() > 0);
        }
    }

    @Test
    void messagePassingWithoutMask() {
        String m = error(Repo.model("bad_hops2_no_mask.onnx"));
        assertTrue(m.startsWith("model bad_hops2_no_mask.onnx has interphase.hops 2 but no input 'node_energy_mask'"), m);
        assertTrue(m.endsWith(FIX), m);
    }

    @Test
    void outputDtypeDiffersFromEdgeVectors() {
        String m = error(Repo.model("bad_mixed_dtype.onnx"));
        assertTrue(m.startsWith("model bad_mixed_dtype.onnx has output 'atomic_energy' of type float64, expected float32 [N]"), m);
    }

    @Test
    void notAnOnnxFile() {
        String m = error(Repo.model("not_onnx.onnx"));
        assertTrue(m.startsWith("model not_onnx.onnx is not a valid ONNX model (ONNX Runtime: "), m);
        assertTrue(m.endsWith("): pass the .onnx file written by interphase-export"), m);
    }

    @Test
    void missingFile() {
        Path p = Repo.root().resolve("tests/models/does_not_exist.onnx");
        String m = error(p);
        assertTrue(m.startsWith("model file " + p + " not found: check the path in 'pair_coeff * * MODEL.onnx ...'"), m);
    }

    @Test
    void directoryInsteadOfFile() {
        Path p = Repo.root().resolve("tests/models");
        assertTrue(error(p).startsWith("model file " + p + " is not a readable file"));
    }

    @Test
    void cudaDeviceIdResolution() {
        assertEquals(3, new InferenceSettings(true, 3, 5).resolvedDeviceId("0,1"));
        assertEquals(1, new InferenceSettings(true, -1, 5).resolvedDeviceId("0,1"));
        assertEquals(0, new InferenceSettings(true, -1, 5).resolvedDeviceId(null));
        assertEquals(2, new InferenceSettings(true, -1, 6).resolvedDeviceId("4,5,6,7"));
    }
}
