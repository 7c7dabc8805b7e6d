package org.interphase.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams frames from an extended XYZ file: {@code Lattice="ax ay az bx by bz cx cy cz"} (cell vectors as rows),
 * {@code Properties=species:S:1:pos:R:3[...]}, optional {@code pbc="T T T"}, {@code Origin}, {@code Time},
 * {@code step}. Without a Lattice the frame is non-periodic in a box padded around the atoms. Types come from
 * the type map (element to type id) or, without one, from the order in which elements first appear.
 */
public final class ExtXyzReader implements FrameSource {
    private final Path path;
    private final BufferedReader in;
    private final TypeMap typeMap;
    private final List<String> seen = new ArrayList<>();
    private long lineNo;
    private long frameIndex;

    /** Opens the file; typeMap may be null. */
    public ExtXyzReader(Path path, TypeMap typeMap) throws IOException {
        this.path = path;
        this.typeMap = typeMap;
        this.in = Files.newBufferedReader(path, StandardCharsets.UTF_8);
    }

    @Override
    public String description() {
        return path + " (extended XYZ)";
    }

    private InputException bad(String what) {
        return new InputException(path + " line " + lineNo + ": " + what + ": fix the extended XYZ file");
    }

    /** Parses key=value pairs (values may be double-quoted). Keys are kept as written. */
    static Map<String, String> parseComment(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        int i = 0, n = s.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(s.charAt(i))) i++;
            int ks = i;
            while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) i++;
            String key = s.substring(ks, i);
            if (i < n && s.charAt(i) == '=') {
                i++;
                String val;
                if (i < n && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
                    char q = s.charAt(i++);
                    int vs = i;
                    while (i < n && s.charAt(i) != q) i++;
                    val = s.substring(vs, Math.min(i, n));
                    i++;
                } else {
                    int vs = i;
                    while (i < n && !Character.isWhitespace(s.charAt(i))) i++;
                    val = s.substring(vs, i);
                }
                if (!key.isEmpty()) m.put(key, val);
            } else if (!key.isEmpty()) {
                m.put(key, "T");
            }
        }
        return m;
    }

    private static String get(Map<String, String> m, String key) {
        for (var e : m.entrySet()) if (e.getKey().equalsIgnoreCase(key)) return e.getValue();
        return null;
    }

    @Override
    public Frame next() throws IOException {
        String s;
        do {
            s = in.readLine();
            lineNo++;
            if (s == null) return null;
        } while (s.isBlank());
        int n;
        try {
            n = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw bad("expected the atom count but found '" + (s.length() > 40 ? s.substring(0, 40) : s) + "'");
        }
        if (n == 0) throw new InputException(path + ": frame " + frameIndex + " has zero atoms: nothing to analyse");
        if (n < 0) throw bad("negative atom count");
        String comment = in.readLine();
        lineNo++;
        if (comment == null) throw bad("unexpected end of file");
        Map<String, String> kv = parseComment(comment);
        String props = get(kv, "Properties");
        if (props == null) props = "species:S:1:pos:R:3";
        String[] p = props.split(":");
        if (p.length % 3 != 0) throw bad("malformed Properties=" + props);
        int col = 0, spCol = -1, posCol = -1, ncol = 0;
        for (int k = 0; k < p.length; k += 3) {
            int cnt;
            try {
                cnt = Integer.parseInt(p[k + 2]);
            } catch (NumberFormatException e) {
                throw bad("malformed Properties=" + props);
            }
            if (p[k].equals("species")) spCol = col;
            if (p[k].equals("pos")) posCol = col;
            col += cnt;
        }
        ncol = col;
        if (spCol < 0 || posCol < 0) throw bad("Properties needs species:S:1 and pos:R:3");
        double[] x = new double[3 * n];
        String[] el = new String[n];
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            String a = in.readLine();
            lineNo++;
            if (a == null) throw new InputException(path + ": frame " + frameIndex + " ends after " + i + " of " + n + " atoms (truncated file?): rewrite it");
            String[] t = a.trim().split("\\s+");
            if (t.length < ncol) throw bad("atom line has " + t.length + " columns, Properties declares " + ncol + " (truncated or malformed file)");
            el[i] = t[spCol];
            try {
                for (int d = 0; d < 3; d++) x[3 * i + d] = Double.parseDouble(t[posCol + d]);
            } catch (NumberFormatException e) {
                throw bad("position is not a number");
            }
            if (typeMap != null) {
                types[i] = typeMap.typeOf(el[i]);
                if (types[i] < 0) {
                    throw new InputException(path + ": element " + el[i] + " is missing from the type map " + typeMap
                            + ": add it to --types");
                }
            } else {
                int k = seen.indexOf(el[i]);
                if (k < 0) {
                    seen.add(el[i]);
                    k = seen.size() - 1;
                }
                types[i] = k + 1;
            }
        }
        String lat = get(kv, "Lattice");
        Box box;
        if (lat != null) {
            String[] v = lat.trim().split("\\s+");
            if (v.length != 9) throw bad("Lattice needs 9 numbers");
            double[] h = new double[9];
            for (int k = 0; k < 9; k++) h[k] = Double.parseDouble(v[k]);
            boolean[] per = {true, true, true};
            String pbc = get(kv, "pbc");
            if (pbc != null) {
                String[] f = pbc.trim().split("\\s+");
                for (int d = 0; d < 3 && d < f.length; d++) per[d] = f[d].equalsIgnoreCase("T") || f[d].equalsIgnoreCase("True");
            }
            box = new Box(h, per);
            String origin = get(kv, "Origin");
            if (origin != null) {
                String[] o = origin.trim().split("\\s+");
                for (int i = 0; i < n; i++) for (int d = 0; d < 3; d++) x[3 * i + d] -= Double.parseDouble(o[d]);
            }
        } else {
            double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
            for (int i = 0; i < n; i++) {
                for (int d = 0; d < 3; d++) {
                    lo[d] = Math.min(lo[d], x[3 * i + d]);
                    hi[d] = Math.max(hi[d], x[3 * i + d]);
                }
            }
            for (int i = 0; i < n; i++) for (int d = 0; d < 3; d++) x[3 * i + d] -= lo[d] - 5.0;
            box = Box.orthogonal(hi[0] - lo[0] + 10, hi[1] - lo[1] + 10, hi[2] - lo[2] + 10, false, false, false);
        }
        long step = frameIndex;
        String st = get(kv, "step");
        if (st == null) st = get(kv, "timestep");
        if (st != null) {
            try {
                step = Long.parseLong(st.trim());
            } catch (NumberFormatException e) {
                throw bad("step=" + st + " is not an integer");
            }
        }
        double time = Double.NaN;
        String tm = get(kv, "Time");
        if (tm != null) {
            try {
                time = Double.parseDouble(tm.trim());
            } catch (NumberFormatException e) {
                throw bad("Time=" + tm + " is not a number");
            }
        }
        frameIndex++;
        return new Frame(step, time, box, x, types, el);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
