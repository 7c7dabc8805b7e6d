package org.interphase.structure;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.interphase.io.InputException;
import org.interphase.io.Messages;

/**
 * Reads the {@code metadata_props} of an ONNX model (ModelProto field 14, repeated StringStringEntryProto
 * {key = 1, value = 2}) by walking the top-level protobuf fields, without ONNX Runtime. Used by
 * {@code build-cell --model} to get {@code interphase.r_max}.
 */
public final class ModelMetadata {
    private ModelMetadata() {
    }

    /**
     * Returns the model's metadata properties.
     *
     * @throws IOException when the file cannot be read or is not a protobuf ModelProto
     */
    public static Map<String, String> read(Path model) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream raw = Files.newInputStream(model);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            while (true) {
                long tag;
                try {
                    tag = varint(in, true);
                } catch (EOFException end) {
                    break;
                }
                int field = (int) (tag >>> 3);
                int wire = (int) (tag & 7);
                switch (wire) {
                    case 0 -> varint(in, false);
                    case 1 -> skip(in, 8);
                    case 5 -> skip(in, 4);
                    case 2 -> {
                        long len = varint(in, false);
                        if (len < 0 || len > Integer.MAX_VALUE && field == 14) throw new IOException("bad length");
                        if (field == 14) {
                            byte[] entry = new byte[(int) len];
                            in.readFully(entry);
                            parseEntry(entry, out);
                        } else {
                            skip(in, len);
                        }
                    }
                    default -> throw new IOException("unexpected protobuf wire type " + wire);
                }
            }
        } catch (NoSuchFileException e) {
            throw new InputException("model file " + model + " does not exist: check the --model path or pass --cutoff R_MAX");
        } catch (EOFException e) {
            throw new InputException("model file " + model + " is truncated or not an ONNX model: pass an interphase contract v1 model or --cutoff R_MAX");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("model file")) throw e;
            throw new InputException(model + " is not a readable ONNX model (" + Messages.ioCause(e) + "): pass an interphase contract v1 model or --cutoff R_MAX");
        }
        return out;
    }

    /** {@code interphase.r_max} of the model in Angstrom. */
    public static double rMax(Path model) throws IOException {
        String v = read(model).get("interphase.r_max");
        if (v == null) {
            throw new InputException("model " + model + " has no interphase.r_max metadata (not an interphase contract v1 model): "
                    + "pass --cutoff R_MAX instead");
        }
        try {
            double r = Double.parseDouble(v.trim());
            if (!(r > 0) || !Double.isFinite(r)) throw new NumberFormatException();
            return r;
        } catch (NumberFormatException e) {
            throw new InputException("model " + model + " has interphase.r_max = '" + v + "', not a positive number: re-export it or pass --cutoff R_MAX");
        }
    }

    /** {@code interphase.species} of the model, in its type order. */
    public static java.util.List<String> species(Path model) throws IOException {
        String v = read(model).get("interphase.species");
        if (v == null || v.isBlank()) {
            throw new InputException("model " + model + " has no interphase.species metadata (not an interphase contract model): "
                    + "export it with interphase-export");
        }
        return java.util.List.of(v.strip().split("\\s+"));
    }

    private static void parseEntry(byte[] b, Map<String, String> out) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(b));
        String key = null;
        String value = "";
        while (in.available() > 0) {
            long tag = varint(in, false);
            if ((tag & 7) != 2) throw new IOException("malformed metadata entry");
            byte[] s = new byte[(int) varint(in, false)];
            in.readFully(s);
            if ((tag >>> 3) == 1) key = new String(s, StandardCharsets.UTF_8);
            else if ((tag >>> 3) == 2) value = new String(s, StandardCharsets.UTF_8);
        }
        if (key != null) out.put(key, value);
    }

    private static long varint(DataInputStream in, boolean first) throws IOException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) {
                if (first && shift == 0) throw new EOFException();
                throw new EOFException("truncated varint");
            }
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new IOException("malformed varint");
    }

    private static void skip(DataInputStream in, long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) throw new EOFException("truncated field");
            n -= s;
        }
    }
}
