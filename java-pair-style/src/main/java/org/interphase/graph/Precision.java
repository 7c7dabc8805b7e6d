package org.interphase.graph;

/** Floating-point dtype of a model's edge_vectors, node_energy_mask and outputs. */
public enum Precision {
    FLOAT32(4, "float32"),
    FLOAT64(8, "float64");

    private final int bytes;
    private final String onnxName;

    Precision(int bytes, String onnxName) {
        this.bytes = bytes;
        this.onnxName = onnxName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return onnxName;
    }
}
