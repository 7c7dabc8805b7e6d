package org.interphase.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Streams frames from a LAMMPS text dump ({@code dump custom} / {@code dump atom}) with columns id, type and
 * x y z, xs ys zs, xu yu zu or xsu ysu zsu; orthogonal boxes and triclinic boxes ({@code ITEM: BOX BOUNDS xy xz yz}).
 * An {@code element} column, when present, overrides the type map. Atoms are sorted by id; positions are made
 * relative to boxlo. The optional {@code ITEM: TIME} gives the time (NaN otherwise).
 */
public final class LammpsDumpReader implements FrameSource {
    private final Path path;
    private final BufferedReader in;
    private final TypeMap typeMap;
    private long lineNo;
    private String pending;
    private long[] lastIds;

    /** Opens the dump; the type map may be null when the dump has an element column. */
    public LammpsDumpReader(Path path, TypeMap typeMap) throws IOException {
        this.path = path;
        this.typeMap = typeMap;
        this.in = Files.newBufferedReader(path, StandardCharsets.UTF_8);
    }

    @Override
    public long[] atomIds() {
        return lastIds == null ? null : lastIds.clone();
    }

    @Override
    public String description() {
        return path + " (LAMMPS text dump)";
    }

    private String line() throws IOException {
        if (pending != null) {
            String p = pending;
            pending = null;
            return p;
        }
        String s;
        try {
            s = in.readLine();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InputException(path + " contains bytes that are not UTF-8 text, so it is not a LAMMPS text dump: "
                    + "pass the dump LAMMPS wrote (or drop --format to detect the format)");
        }
        if (s != null) lineNo++;
        return s;
    }

    private InputException bad(String what) {
        return new InputException(path + " line " + lineNo + ": " + what + ": the file is not a complete LAMMPS text dump (truncated?); rewrite it");
    }

    private String need() throws IOException {
        String s = line();
        if (s == null) throw bad("unexpected end of file");
        return s;
    }

    @Override
    public Frame next() throws IOException {
        String s;
        do {
            s = line();
            if (s == null) return null;
        } while (s.isBlank());
        long step = Long.MIN_VALUE;
        double time = Double.NaN;
        int n = -1;
        double[] lo = new double[3], hi = new double[3], tilt = new double[3];
        boolean triclinic = false;
        boolean[] periodic = {true, true, true};
        boolean haveBox = false;
        while (true) {
            if (!s.startsWith("ITEM:")) throw bad("expected an 'ITEM:' line but found '" + abbreviate(s) + "'");
            String item = s.substring(5).trim();
            if (item.startsWith("TIMESTEP")) {
                step = parseLong(need().trim());
            } else if (item.startsWith("TIME")) {
                time = parseDouble(need().trim());
            } else if (item.startsWith("NUMBER OF ATOMS")) {
                long nl = parseLong(need().trim());
                if (nl > Integer.MAX_VALUE / 3) throw bad("too many atoms " + nl);
                n = (int) nl;
            } else if (item.startsWith("BOX BOUNDS")) {
                String[] f = item.substring(10).trim().split("\\s+");
                if (f.length > 0 && f[0].equals("abc")) {
                    throw new InputException(path + ": general triclinic 'BOX BOUNDS abc origin' dumps are not supported: "
                            + "dump with the restricted triclinic box (the default)");
                }
                triclinic = f.length >= 3 && f[0].equals("xy");
                int off = triclinic ? 3 : 0;
                for (int d = 0; d < 3; d++) {
                    if (f.length > off + d) periodic[d] = f[off + d].equals("pp");
                    String[] v = need().trim().split("\\s+");
                    if (v.length < (triclinic ? 3 : 2)) throw bad("box bounds line needs " + (triclinic ? 3 : 2) + " numbers");
                    lo[d] = parseDouble(v[0]);
                    hi[d] = parseDouble(v[1]);
                    if (triclinic) tilt[d] = parseDouble(v[2]);
                }
                haveBox = true;
            } else if (item.startsWith("ATOMS")) {
                if (step == Long.MIN_VALUE || n < 0 || !haveBox) throw bad("ITEM: ATOMS before TIMESTEP, NUMBER OF ATOMS and BOX BOUNDS");
                return readAtoms(item.substring(5).trim().split("\\s+"), step, time, n, lo, hi, tilt, triclinic, periodic);
            } else {
                // unknown item (e.g. UNITS): skip its value lines until the next ITEM
                String t;
                while ((t = line()) != null && !t.startsWith("ITEM:")) {
                    // skip
                }
                if (t == null) throw bad("unexpected end of file");
                s = t;
                continue;
            }
            s = need();
        }
    }

    private Frame readAtoms(String[] cols, long step, double time, int n, double[] lo, double[] hi, double[] tilt,
            boolean triclinic, boolean[] periodic) throws IOException {
        if (n == 0) {
            throw new InputException(path + ": frame at step " + step + " has zero atoms: nothing to analyse; dump a non-empty group");
        }
        List<String> c = Arrays.asList(cols);
        int id = c.indexOf("id");
        int type = c.indexOf("type");
        int element = c.indexOf("element");
        int[] xc = new int[3];
        boolean scaled = false;
        String[][] names = {{"x", "y", "z"}, {"xu", "yu", "zu"}, {"xs", "ys", "zs"}, {"xsu", "ysu", "zsu"}};
        int kind = -1;
        for (int k = 0; k < names.length && kind < 0; k++) {
            if (c.contains(names[k][0]) && c.contains(names[k][1]) && c.contains(names[k][2])) kind = k;
        }
        if (kind < 0) {
            throw new InputException(path + ": dump at step " + step + " has no x y z (or xs ys zs, xu yu zu) columns: "
                    + "use 'dump ID all custom N file id type x y z'");
        }
        scaled = kind >= 2;
        for (int d = 0; d < 3; d++) xc[d] = c.indexOf(names[kind][d]);
        if (type < 0 && element < 0) {
            throw new InputException(path + ": dump has neither a type nor an element column: add 'type' to the dump custom command");
        }
        if (element < 0 && typeMap == null) {
            throw new InputException(path + ": no type-to-element map: pass --types Li,P,S,Cl or --data FILE.data");
        }
        double xy = tilt[0], xz = tilt[1], yz = tilt[2];
        double xlo = lo[0], xhi = hi[0], ylo = lo[1], yhi = hi[1], zlo = lo[2], zhi = hi[2];
        if (triclinic) {
            xlo -= Math.min(Math.min(0.0, xy), Math.min(xz, xy + xz));
            xhi -= Math.max(Math.max(0.0, xy), Math.max(xz, xy + xz));
            ylo -= Math.min(0.0, yz);
            yhi -= Math.max(0.0, yz);
        }
        Box box = Box.lammps(xhi - xlo, yhi - ylo, zhi - zlo, xy, xz, yz, periodic);
        long[] ids = new long[n];
        int[] types = new int[n];
        String[] els = element >= 0 ? new String[n] : null;
        double[] x = new double[3 * n];
        int ncol = cols.length;
        String[] tok = new String[ncol];
        for (int i = 0; i < n; i++) {
            String s = line();
            if (s == null || s.startsWith("ITEM:")) {
                throw new InputException(path + ": frame at step " + step + " ends after " + i + " of " + n
                        + " atoms (truncated file?): rewrite the dump");
            }
            if (split(s, tok) < ncol) throw bad("atom line has fewer than " + ncol + " columns");
            ids[i] = id >= 0 ? parseLong(tok[id]) : i + 1;
            if (type >= 0) types[i] = (int) parseLong(tok[type]);
            if (els != null) els[i] = tok[element];
            double a = parseDouble(tok[xc[0]]), b = parseDouble(tok[xc[1]]), cc = parseDouble(tok[xc[2]]);
            if (scaled) {
                box.toCartesian(a, b, cc, x, 3 * i);
            } else {
                x[3 * i] = a - xlo;
                x[3 * i + 1] = b - ylo;
                x[3 * i + 2] = cc - zlo;
            }
        }
        // sort by atom id
        Integer[] order = new Integer[n];
        boolean sorted = true;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            if (i > 0 && ids[i] < ids[i - 1]) sorted = false;
        }
        if (!sorted) {
            Arrays.sort(order, (p, q) -> Long.compare(ids[p], ids[q]));
            double[] x2 = new double[3 * n];
            int[] t2 = new int[n];
            String[] e2 = els == null ? null : new String[n];
            for (int k = 0; k < n; k++) {
                int i = order[k];
                System.arraycopy(x, 3 * i, x2, 3 * k, 3);
                t2[k] = types[i];
                if (e2 != null) e2[k] = els[i];
            }
            x = x2;
            types = t2;
            els = e2;
            Arrays.sort(ids);
        }
        lastIds = ids;
        if (els == null) {
            els = typeMap.apply(types, path + " step " + step);
        } else if (type < 0) {
            for (int i = 0; i < n; i++) {
                int t = typeMap == null ? -1 : typeMap.typeOf(els[i]);
                types[i] = t;
            }
        }
        return new Frame(step, time, box, x, types, els);
    }

    private static int split(String s, String[] out) {
        int k = 0, i = 0, len = s.length();
        while (i < len && k < out.length) {
            while (i < len && s.charAt(i) <= ' ') i++;
            if (i >= len) break;
            int start = i;
            while (i < len && s.charAt(i) > ' ') i++;
            out[k++] = s.substring(start, i);
        }
        return k;
    }

    private long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw bad("'" + abbreviate(s) + "' is not an integer");
        }
    }

    private double parseDouble(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw bad("'" + abbreviate(s) + "' is not a number");
        }
    }

    private static String abbreviate(String s) {
        String t = s.replaceAll("[\\p{Cntrl}]", "?");
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
