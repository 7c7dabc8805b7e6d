package org.interphase.inference;

/**
 * ONNX Runtime's error texts made fit for a one-line user message: the one place that knows their
 * shape (used by the pair style and by {@code interphase analyze --latent}).
 */
public final class OrtMessages {
    private OrtMessages() {}

    /**
     * ONNX Runtime's reason on one line, without its error-code prefix, the model path it repeats,
     * and its C++ source locations and signatures: "Error code - ORT_INVALID_PROTOBUF - message:
     * Load model from m.onnx failed:Protobuf parsing failed." becomes "Protobuf parsing failed.";
     * a message that is nothing but C++ locations becomes "no reason given". At most 300 characters.
     */
    public static String reason(String s) {
        String t = s == null ? "" : s.strip();
        int nl = t.indexOf('\n');
        t = (nl < 0 ? t : t.substring(0, nl)).replaceAll("\\s+", " ").strip();
        int m = t.indexOf("message: ");
        if (t.startsWith("Error code") && m >= 0) {
            t = t.substring(m + 9);
        }
        t = t.replaceAll("(?i)load model from \\S+ failed:\\s*", "");
        t = t.replaceAll("\\S*onnxruntime::.*$", "");             // C++ signatures run to the end of the text
        t = t.replaceAll("\\S+\\.(cc|cpp|h):\\d+:?", "").strip(); // source locations
        if (t.isEmpty()) {
            return "no reason given";
        }
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
