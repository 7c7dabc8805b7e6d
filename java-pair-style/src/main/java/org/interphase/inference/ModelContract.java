package org.interphase.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import ai.onnxruntime.ValueInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.interphase.graph.Precision;

/**
 * The validated interface of a model (docs/model-contract.md): a contract-v1 graph, or the
 * manifest (embedding graph) of a contract-v2 model, whose {@link #layers} then names the layer
 * and readout graphs ({@link LayeredModel} opens and checks them).
 *
 * @param fileName model file name for messages
 * @param species element symbols in model type order (interphase.species)
 * @param rMax interphase.r_max in Angstrom
 * @param hops interphase.hops (1 = strictly local)
 * @param pairCutoff S*S row-major cutoffs (interphase.per_edge_type_cutoff, else r_max everywhere)
 * @param precision dtype of edge_vectors / node_energy_mask / outputs
 * @param hasMask whether the model has the node_energy_mask input
 * @param activationBytesPerEdge ONNX Runtime's peak memory per edge as measured by the exporter
 *        (optional metadata interphase.activation_bytes_per_edge), 0 when the model does not say
 * @param layers the layer graphs of a contract-v2 model, null for contract v1
 */
public record ModelContract(String fileName, List<String> species, double rMax, int hops,
                            double[] pairCutoff, Precision precision, boolean hasMask,
                            double activationBytesPerEdge, Layers layers) {

    /**
     * The stages of a contract-v2 model, from its manifest's metadata.
     *
     * @param widths node-feature widths F0..FK (interphase.feature_widths): layer k maps Fk to Fk+1
     * @param graphFiles per layer its forward graph, then its VJP graph (interphase.layer_graphs),
     *        file names relative to the manifest's folder
     * @param readoutFile the readout graph (interphase.readout_graph)
     */
    public record Layers(int[] widths, List<String> graphFiles, String readoutFile) {
        public Layers {
            widths = widths.clone();
            graphFiles = List.copyOf(graphFiles);
        }

        /** Message-passing layers K. */
        public int count() {
            return widths.length - 1;
        }

        /** Node-feature width entering layer k (k = K: the readout's input). */
        public int width(int k) {
            return widths[k];
        }

        /** The widest feature row (what LAMMPS exchanges per atom). */
        public int maxWidth() {
            return Arrays.stream(widths).max().orElse(0);
        }
    }

    public static final String CONTRACT_VERSION = "1";
    public static final String CONTRACT_LAYERED = "2";
    public static final String KEY_FEATURE_WIDTHS = "interphase.feature_widths";
    public static final String KEY_LAYER_GRAPHS = "interphase.layer_graphs";
    public static final String KEY_READOUT_GRAPH = "interphase.readout_graph";
    public static final String NODE_FEATURES = "node_features";
    public static final String KEY_CONTRACT = "interphase.contract";
    public static final String KEY_SPECIES = "interphase.species";
    public static final String KEY_R_MAX = "interphase.r_max";
    public static final String KEY_HOPS = "interphase.hops";
    public static final String KEY_PER_EDGE_TYPE_CUTOFF = "interphase.per_edge_type_cutoff";
    public static final String KEY_ACTIVATION_BYTES_PER_EDGE = "interphase.activation_bytes_per_edge";

    public static final String EDGE_VECTORS = "edge_vectors";
    public static final String EDGE_INDEX = "edge_index";
    public static final String ATOM_TYPES = "atom_types";
    public static final String NODE_ENERGY_MASK = "node_energy_mask";
    public static final String ATOMIC_ENERGY = "atomic_energy";
    public static final String EDGE_FORCES = "edge_forces";

    static final String FIX = "re-export it with interphase-export (contract v1, docs/model-contract.md)";

    public ModelContract {
        species = List.copyOf(species);
        pairCutoff = pairCutoff.clone();
    }

    /** Cutoff of the species pair (a, b) in Angstrom. */
    public double cutoff(int a, int b) {
        return pairCutoff[a * species.size() + b];
    }

    /** Index of an element symbol in the model's species, or -1. */
    public int speciesIndex(String element) {
        return species.indexOf(element);
    }

    /**
     * Validates a model's metadata, inputs and outputs against contract v1.
     *
     * @throws ModelContractException naming the first violation and the fix
     */
    public static ModelContract validate(String fileName, Map<String, String> metadata,
                                         Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs) {
        String m = "model " + fileName;
        String version = metadata.get(KEY_CONTRACT);
        if (version == null) {
            throw new ModelContractException(m + " lacks metadata '" + KEY_CONTRACT
                    + "' (it is not an Interphase model): " + FIX);
        }
        boolean layered = CONTRACT_LAYERED.equals(version.strip());
        if (!CONTRACT_VERSION.equals(version.strip()) && !layered) {
            throw new ModelContractException(m + " has " + KEY_CONTRACT + " '" + version
                    + "' but this bridge reads contracts v" + CONTRACT_VERSION + " and v" + CONTRACT_LAYERED + ": " + FIX);
        }
        String speciesText = required(m, metadata, KEY_SPECIES);
        List<String> species = Arrays.asList(speciesText.strip().split("\\s+"));
        if (speciesText.isBlank() || species.stream().distinct().count() != species.size()) {
            throw new ModelContractException(m + " has an empty or repeated species list '"
                    + speciesText + "' in metadata '" + KEY_SPECIES + "': " + FIX);
        }
        double rMax = parsePositive(m, KEY_R_MAX, required(m, metadata, KEY_R_MAX));
        int hops;
        String hopsText = required(m, metadata, KEY_HOPS);
        try {
            hops = Integer.parseInt(hopsText.strip());
        } catch (NumberFormatException e) {
            hops = 0;
        }
        if (hops < 1) {
            throw new ModelContractException(m + " has metadata '" + KEY_HOPS + "' = '" + hopsText
                    + "', expected an integer >= 1: " + FIX);
        }
        int s = species.size();
        double[] cut = new double[s * s];
        Arrays.fill(cut, rMax);
        String per = metadata.get(KEY_PER_EDGE_TYPE_CUTOFF);
        if (per != null && !per.isBlank()) {
            String[] parts = per.strip().split("\\s+");
            if (parts.length != s * s) {
                throw new ModelContractException(m + " has " + parts.length + " numbers in metadata '"
                        + KEY_PER_EDGE_TYPE_CUTOFF + "', expected " + s * s + " (species^2): " + FIX);
            }
            for (int k = 0; k < parts.length; k++) {
                cut[k] = parsePositive(m, KEY_PER_EDGE_TYPE_CUTOFF, parts[k]);
                if (cut[k] > rMax * (1 + 1e-12)) {
                    throw new ModelContractException(m + " has a per-edge-type cutoff " + parts[k]
                            + " larger than " + KEY_R_MAX + " " + rMax + ": " + FIX);
                }
            }
        }
        String bytes = metadata.get(KEY_ACTIVATION_BYTES_PER_EDGE);
        double perEdge = bytes == null || bytes.isBlank() ? 0.0
                : parsePositive(m, KEY_ACTIVATION_BYTES_PER_EDGE, bytes);
        if (layered) {
            return layered(m, fileName, metadata, inputs, outputs, species, rMax, hops, cut, perEdge);
        }
        // inputs
        OnnxTensorType evType = tensorType(m, "input", EDGE_VECTORS, "float32|float64 [E,3]", inputs);
        Precision precision = switch (evType) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> Precision.FLOAT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> Precision.FLOAT64;
            default -> throw new ModelContractException(m + " has input '" + EDGE_VECTORS + "' of type "
                    + evType + ", expected float32 or float64: " + FIX);
        };
        expectType(m, "input", EDGE_INDEX, "int64 [2,E]", inputs, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64);
        expectType(m, "input", ATOM_TYPES, "int64 [N]", inputs, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64);
        boolean hasMask = inputs.containsKey(NODE_ENERGY_MASK);
        if (hasMask) {
            expectType(m, "input", NODE_ENERGY_MASK, precision + " [N]", inputs, evType);
        }
        for (String name : inputs.keySet()) {
            if (!List.of(EDGE_VECTORS, EDGE_INDEX, ATOM_TYPES, NODE_ENERGY_MASK).contains(name)) {
                throw new ModelContractException(m + " has input '" + name
                        + "' that contract v1 does not define (allowed: edge_vectors, edge_index, atom_types, node_energy_mask): " + FIX);
            }
        }
        expectType(m, "output", ATOMIC_ENERGY, precision + " [N]", outputs, evType);
        expectType(m, "output", EDGE_FORCES, precision + " [E,3]", outputs, evType);
        if (hops > 1 && !hasMask) {
            throw new ModelContractException(m + " has " + KEY_HOPS + " " + hops
                    + " but no input '" + NODE_ENERGY_MASK + "' (message-passing models need it for exact forces across MPI ranks): " + FIX);
        }
        return new ModelContract(fileName, species, rMax, hops, cut, precision, hasMask, perEdge, null);
    }

    /** The manifest of a contract-v2 model: the embedding graph atom_types -&gt; node_features, and the stage list. */
    private static ModelContract layered(String m, String fileName, Map<String, String> metadata,
                                         Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs,
                                         List<String> species, double rMax, int hops, double[] cut, double perEdge) {
        String fix = "re-export it with interphase-export --contract 2 (docs/model-contract.md)";
        String[] w = required(m, metadata, KEY_FEATURE_WIDTHS).strip().split("\\s+");
        int[] widths = new int[w.length];
        for (int k = 0; k < w.length; k++) {
            try {
                widths[k] = Integer.parseInt(w[k]);
            } catch (NumberFormatException e) {
                widths[k] = 0;
            }
            if (widths[k] < 1) {
                throw new ModelContractException(m + " has metadata '" + KEY_FEATURE_WIDTHS + "' = '"
                        + metadata.get(KEY_FEATURE_WIDTHS) + "', expected positive integers: " + fix);
            }
        }
        List<String> files = Arrays.asList(required(m, metadata, KEY_LAYER_GRAPHS).strip().split("\\s+"));
        if (widths.length != hops + 1 || files.size() != 2 * hops) {
            throw new ModelContractException(m + " has " + KEY_HOPS + " " + hops + " but " + widths.length
                    + " feature widths and " + files.size() + " layer graphs (expected " + (hops + 1) + " and "
                    + 2 * hops + "): " + fix);
        }
        String readout = required(m, metadata, KEY_READOUT_GRAPH).strip();
        expectType(m, "input", ATOM_TYPES, "int64 [N]", inputs, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64);
        OnnxTensorType t = tensorType(m, "output", NODE_FEATURES, "float32|float64 [N,F0]", outputs);
        Precision precision = switch (t) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> Precision.FLOAT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> Precision.FLOAT64;
            default -> throw new ModelContractException(m + " has output '" + NODE_FEATURES + "' of type " + t
                    + ", expected float32 or float64: " + fix);
        };
        return new ModelContract(fileName, species, rMax, hops, cut, precision, false, perEdge,
                new Layers(widths, files, readout));
    }

    private static String required(String m, Map<String, String> metadata, String key) {
        String v = metadata.get(key);
        if (v == null || v.isBlank()) {
            throw new ModelContractException(m + " lacks metadata '" + key + "': " + FIX);
        }
        return v;
    }

    private static double parsePositive(String m, String key, String text) {
        double v;
        try {
            v = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new ModelContractException(m + " has metadata '" + key + "' = '" + text
                    + "', expected a positive number (Angstrom): " + FIX);
        }
        return v;
    }

    private static OnnxTensorType tensorType(String m, String kind, String name, String expected,
                                             Map<String, NodeInfo> nodes) {
        NodeInfo node = nodes.get(name);
        if (node == null) {
            throw new ModelContractException(m + " lacks " + kind + " '" + name + "' (" + expected + "): " + FIX);
        }
        ValueInfo info = node.getInfo();
        if (!(info instanceof TensorInfo t)) {
            throw new ModelContractException(m + " has " + kind + " '" + name + "' that is not a tensor ("
                    + expected + "): " + FIX);
        }
        return t.onnxType;
    }

    private static void expectType(String m, String kind, String name, String expected,
                                   Map<String, NodeInfo> nodes, OnnxTensorType type) {
        OnnxTensorType actual = tensorType(m, kind, name, expected, nodes);
        if (actual != type) {
            throw new ModelContractException(m + " has " + kind + " '" + name + "' of type " + shortName(actual)
                    + ", expected " + expected + " (outputs and node_energy_mask use the dtype of edge_vectors): " + FIX);
        }
    }

    private static String shortName(OnnxTensorType t) {
        return switch (t) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> "float32";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> "float64";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> "int64";
            default -> t.toString();
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelContract c && fileName.equals(c.fileName) && species.equals(c.species)
                && rMax == c.rMax && hops == c.hops && Arrays.equals(pairCutoff, c.pairCutoff)
                && precision == c.precision && hasMask == c.hasMask
                && activationBytesPerEdge == c.activationBytesPerEdge && java.util.Objects.equals(layers, c.layers);
    }

    @Override
    public int hashCode() {
        return fileName.hashCode() * 31 + Arrays.hashCode(pairCutoff);
    }

    @Override
    public String toString() {
        return "ModelContract[" + fileName + ", species=" + species + ", r_max=" + rMax + ", hops=" + hops
                + ", " + precision + (hasMask ? ", node_energy_mask" : "")
                + (layers != null ? ", contract v2 widths " + Arrays.toString(layers.widths()) : "") + "]";
    }
}
