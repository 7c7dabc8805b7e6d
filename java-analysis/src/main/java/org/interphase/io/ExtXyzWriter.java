package org.interphase.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.util.Locale;

/** Writes frames as extended XYZ readable by OVITO and ASE, with an integer and a string per-atom column. */
public final class ExtXyzWriter {
    private final BufferedWriter out;

    /** Writes to the given writer (caller owns it). */
    public ExtXyzWriter(BufferedWriter out) {
        this.out = out;
    }

    /** Writes one frame with per-atom columns {@code intName} (integer) and {@code strName} (string). */
    public void write(Frame f, String intName, int[] ints, String strName, String[] strs) throws IOException {
        write(f, intName, ints, java.util.List.of(strName), java.util.List.<String[]>of(strs));
    }

    /** Writes one frame with an integer column and string columns (values must not contain spaces). */
    public void write(Frame f, String intName, int[] ints, java.util.List<String> strNames, java.util.List<String[]> strs) throws IOException {
        int n = f.size();
        Box b = f.box();
        StringBuilder sb = new StringBuilder(64 + 48 * n);
        sb.append(n).append('\n');
        sb.append("Lattice=\"");
        for (int k = 0; k < 9; k++) {
            if (k > 0) sb.append(' ');
            sb.append(fmt(b.h(k / 3, k % 3)));
        }
        sb.append("\" Properties=species:S:1:pos:R:3:").append(intName).append(":I:1");
        for (String name : strNames) sb.append(':').append(name).append(":S:1");
        sb.append(" step=").append(f.step());
        if (!Double.isNaN(f.time())) sb.append(" Time=").append(fmt(f.time()));
        sb.append(" pbc=\"").append(b.isPeriodic(0) ? 'T' : 'F').append(' ').append(b.isPeriodic(1) ? 'T' : 'F')
                .append(' ').append(b.isPeriodic(2) ? 'T' : 'F').append("\"\n");
        double[] x = f.positions();
        String[] el = f.elements();
        for (int i = 0; i < n; i++) {
            sb.append(el[i]).append(' ').append(fmt(x[3 * i])).append(' ').append(fmt(x[3 * i + 1])).append(' ')
                    .append(fmt(x[3 * i + 2])).append(' ').append(ints[i]);
            for (String[] col : strs) sb.append(' ').append(col[i]);
            sb.append('\n');
        }
        out.write(sb.toString());
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.8g", v);
    }
}
