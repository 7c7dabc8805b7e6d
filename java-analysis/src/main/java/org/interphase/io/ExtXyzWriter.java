package org.interphase.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes frames as extended XYZ readable by OVITO and ASE: {@code species} and {@code pos}, then typed per-atom
 * columns, and the comment line {@code Lattice="..." Properties=... step=N Time=T [key=value ...] pbc="T T T"}.
 */
public final class ExtXyzWriter {
    private final BufferedWriter out;

    /**
     * One per-atom column.
     *
     * @param name   column name (no spaces or colons)
     * @param type   extended XYZ type: 'I' integer, 'R' real, 'S' string, 'L' logical (T/F)
     * @param values one already formatted value per atom (no spaces)
     */
    public record Column(String name, char type, String[] values) {
        /** Checks the name and type. */
        public Column {
            if (name.isEmpty() || name.matches(".*[\\s:=\"].*")) throw new IllegalArgumentException("bad extxyz column name '" + name + "'");
            if ("IRSL".indexOf(type) < 0) throw new IllegalArgumentException("bad extxyz column type " + type);
        }

        /** An integer column. */
        public static Column ints(String name, int[] v) {
            String[] s = new String[v.length];
            for (int i = 0; i < v.length; i++) s[i] = Integer.toString(v[i]);
            return new Column(name, 'I', s);
        }

        /** An integer column of longs (atom ids). */
        public static Column longs(String name, long[] v) {
            String[] s = new String[v.length];
            for (int i = 0; i < v.length; i++) s[i] = Long.toString(v[i]);
            return new Column(name, 'I', s);
        }

        /** A real column, each value written exactly (shortest round-trip form). */
        public static Column reals(String name, double[] v) {
            String[] s = new String[v.length];
            for (int i = 0; i < v.length; i++) s[i] = exact(v[i]);
            return new Column(name, 'R', s);
        }

        /** A logical column (T/F). */
        public static Column logicals(String name, boolean[] v) {
            String[] s = new String[v.length];
            for (int i = 0; i < v.length; i++) s[i] = v[i] ? "T" : "F";
            return new Column(name, 'L', s);
        }
    }

    /** Writes to the given writer (caller owns it). */
    public ExtXyzWriter(BufferedWriter out) {
        this.out = out;
    }

    /** Writes one frame with per-atom columns {@code intName} (integer) and {@code strName} (string). */
    public void write(Frame f, String intName, int[] ints, String strName, String[] strs) throws IOException {
        write(f, intName, ints, List.of(strName), List.<String[]>of(strs));
    }

    /** Writes one frame with an integer column and string columns (values must not contain spaces). */
    public void write(Frame f, String intName, int[] ints, List<String> strNames, List<String[]> strs) throws IOException {
        List<Column> cols = new java.util.ArrayList<>();
        cols.add(Column.ints(intName, ints));
        for (int k = 0; k < strNames.size(); k++) cols.add(new Column(strNames.get(k), 'S', strs.get(k)));
        write(f, cols, Map.of());
    }

    /**
     * Writes one frame with the given per-atom columns and extra per-frame {@code info} (written after step and Time,
     * in the map's order; values with spaces, quotes or '=' are double-quoted).
     */
    public void write(Frame f, List<Column> columns, Map<String, String> info) throws IOException {
        int n = f.size();
        for (Column c : columns) {
            if (c.values().length != n) throw new IllegalArgumentException("column " + c.name() + " has " + c.values().length + " values for " + n + " atoms");
        }
        Box b = f.box();
        StringBuilder sb = new StringBuilder(64 + 48 * n);
        sb.append(n).append('\n');
        sb.append("Lattice=\"");
        for (int k = 0; k < 9; k++) {
            if (k > 0) sb.append(' ');
            sb.append(fmt(b.h(k / 3, k % 3)));
        }
        sb.append("\" Properties=species:S:1:pos:R:3");
        for (Column c : columns) sb.append(':').append(c.name()).append(':').append(c.type()).append(":1");
        sb.append(" step=").append(f.step());
        if (!Double.isNaN(f.time())) sb.append(" Time=").append(fmt(f.time()));
        for (var e : info.entrySet()) sb.append(' ').append(e.getKey()).append('=').append(quote(e.getValue()));
        sb.append(" pbc=\"").append(b.isPeriodic(0) ? 'T' : 'F').append(' ').append(b.isPeriodic(1) ? 'T' : 'F')
                .append(' ').append(b.isPeriodic(2) ? 'T' : 'F').append("\"\n");
        double[] x = f.positions();
        String[] el = f.elements();
        for (int i = 0; i < n; i++) {
            sb.append(el[i]).append(' ').append(fmt(x[3 * i])).append(' ').append(fmt(x[3 * i + 1])).append(' ')
                    .append(fmt(x[3 * i + 2]));
            for (Column c : columns) sb.append(' ').append(c.values()[i]);
            sb.append('\n');
        }
        out.write(sb.toString());
    }

    /** A number in its shortest form that reads back to the same double ("0.1", "1.5e-05"). */
    public static String exact(double v) {
        return Double.toString(v).replace('E', 'e');
    }

    private static String quote(String v) {
        if (!v.isEmpty() && !v.matches(".*[\\s\"'=\\\\].*")) return v;
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.8g", v);
    }
}
