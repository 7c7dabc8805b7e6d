package org.interphase.select;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.interphase.io.InputException;
import org.interphase.io.Messages;

/**
 * A model-deviation file in DeePMD-kit's LAMMPS format ({@code pair_style deepmd ... out_file model_devi.out}, and
 * the committee output of {@code pair_style onnx}): lines starting with {@code #} are comments (the header), every
 * other non-blank line is one deviation step
 * {@code step max_devi_v min_devi_v avg_devi_v max_devi_f min_devi_f avg_devi_f [e_1 ... e_N]}, whitespace
 * separated, where the optional e_i (keyword {@code atomic}) are the per-atom force deviations ordered by atom id
 * 1..N. Numbers may be in any decimal or scientific notation; {@code inf} and {@code nan} (as C++ writes them) are
 * read as such. The per-atom columns are not kept: {@link #read} records for each row only their count and the most
 * uncertain atom, and {@link #perAtom} reads them again for the few steps that need them, so the memory stays small
 * for large systems.
 */
public final class DeviationFile {
    /** Columns before the per-atom deviations. */
    public static final int FIXED_COLUMNS = 7;

    /**
     * One deviation step.
     *
     * @param step        MD step
     * @param maxV        max_devi_v (eV)
     * @param minV        min_devi_v
     * @param avgV        avg_devi_v
     * @param maxF        max_devi_f (eV/A)
     * @param minF        min_devi_f
     * @param avgF        avg_devi_f
     * @param atoms       number of per-atom columns (0 without them)
     * @param mostUncertain 0-based index (atom id - 1) of the largest per-atom deviation (first on ties), -1 without them
     * @param line        1-based line number in the file
     */
    public record Row(long step, double maxV, double minV, double avgV, double maxF, double minF, double avgF, int atoms,
            int mostUncertain, int line) {
    }

    private final Path path;
    private final List<Row> rows;
    private final int atoms;

    private DeviationFile(Path path, List<Row> rows, int atoms) {
        this.path = path;
        this.rows = List.copyOf(rows);
        this.atoms = atoms;
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** Rows in file order. */
    public List<Row> rows() {
        return rows;
    }

    /** Number of per-atom columns of every row (0 when the file has none). */
    public int atoms() {
        return atoms;
    }

    /** Whether the rows carry per-atom force deviations. */
    public boolean hasPerAtom() {
        return atoms > 0;
    }

    /**
     * Reads the file.
     *
     * @throws InputException for a missing, unreadable or malformed file, naming the line and the fix
     */
    public static DeviationFile read(Path path) {
        List<Row> rows = new ArrayList<>();
        Map<Long, Integer> seen = new HashMap<>();
        int[] atoms = {-1};
        int[] firstLine = {0};
        scan(path, (line, tok, n) -> {
            Row r = parseRow(path, line, tok, n);
            if (atoms[0] < 0) {
                atoms[0] = r.atoms();
                firstLine[0] = line;
            } else if (r.atoms() != atoms[0]) {
                throw bad(path, line, "has " + r.atoms() + " per-atom deviations but line " + firstLine[0] + " has " + atoms[0],
                        "every row must have the same columns (7, or 7 + one per atom); was the file appended to by a run of another system?");
            }
            Integer prev = seen.putIfAbsent(r.step(), line);
            if (prev != null) {
                throw bad(path, line, "repeats step " + r.step() + " of line " + prev,
                        "a restarted run appends to the file; keep one row per step");
            }
            rows.add(r);
        });
        if (rows.isEmpty()) {
            throw new InputException("deviation file " + path + " has no deviation rows (only comments or blank lines): "
                    + "pass the model_devi file the run wrote (rows 'step max_devi_v min_devi_v avg_devi_v max_devi_f min_devi_f avg_devi_f')");
        }
        return new DeviationFile(path, rows, atoms[0]);
    }

    /**
     * The per-atom force deviations of the given steps (index = atom id - 1), read again from the file.
     *
     * @throws InputException if the file changed since {@link #read}
     */
    public Map<Long, double[]> perAtom(Set<Long> steps) {
        Map<Long, double[]> out = new HashMap<>();
        if (!hasPerAtom() || steps.isEmpty()) return out;
        scan(path, (line, tok, n) -> {
            long step = parseStep(path, line, tok[0]);
            if (!steps.contains(step) || out.containsKey(step)) return;
            if (n != FIXED_COLUMNS + atoms) {
                throw bad(path, line, "changed while it was read (" + (n - FIXED_COLUMNS) + " per-atom columns, " + atoms + " before)",
                        "run again when the writing run has finished");
            }
            double[] e = new double[atoms];
            for (int k = 0; k < atoms; k++) e[k] = number(path, line, tok[FIXED_COLUMNS + k], FIXED_COLUMNS + k);
            out.put(step, e);
        });
        if (out.size() != steps.size()) {
            throw new InputException("deviation file " + path + " changed while it was read (steps are missing): run again when the writing run has finished");
        }
        return out;
    }

    private interface RowVisitor {
        void row(int line, String[] tokens, int count);
    }

    private static void scan(Path path, RowVisitor v) {
        if (Files.isDirectory(path)) throw new InputException("deviation file " + path + " is a directory: pass the model_devi file with --devi");
        if (!Files.exists(path)) throw new InputException("deviation file " + path + " does not exist: check the --devi path");
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String s;
            int line = 0;
            String[] tok = new String[64];
            while ((s = in.readLine()) != null) {
                line++;
                String t = s.strip();
                if (t.isEmpty() || t.charAt(0) == '#') continue;
                int n = 0;
                int i = 0, len = t.length();
                while (i < len) {
                    while (i < len && Character.isWhitespace(t.charAt(i))) i++;
                    if (i >= len) break;
                    int start = i;
                    while (i < len && !Character.isWhitespace(t.charAt(i))) i++;
                    if (n == tok.length) tok = java.util.Arrays.copyOf(tok, 2 * n);
                    tok[n++] = t.substring(start, i);
                }
                v.row(line, tok, n);
            }
        } catch (CharacterCodingException e) {
            throw new InputException("deviation file " + path + " is not a text file (binary or not UTF-8): pass the model_devi text file with --devi");
        } catch (IOException e) {
            throw new InputException("cannot read deviation file " + path + ": " + Messages.ioCause(e) + ": check the --devi path and its permissions");
        }
    }

    private static Row parseRow(Path path, int line, String[] tok, int n) {
        if (n < FIXED_COLUMNS) {
            throw bad(path, line, "has " + n + " columns, fewer than the 7 of 'step max_devi_v min_devi_v avg_devi_v max_devi_f min_devi_f avg_devi_f'",
                    "pass a DeePMD-format model_devi file (comment lines start with #)");
        }
        long step = parseStep(path, line, tok[0]);
        double[] v = new double[FIXED_COLUMNS - 1];
        for (int k = 1; k < FIXED_COLUMNS; k++) v[k - 1] = deviation(path, line, tok[k], k);
        int best = -1;
        double bestE = Double.NEGATIVE_INFINITY;
        for (int k = FIXED_COLUMNS; k < n; k++) {
            double e = deviation(path, line, tok[k], k);
            if (best < 0 || e > bestE || (Double.isNaN(e) && !Double.isNaN(bestE))) {
                best = k - FIXED_COLUMNS;
                bestE = e;
            }
        }
        return new Row(step, v[0], v[1], v[2], v[3], v[4], v[5], n - FIXED_COLUMNS, best, line);
    }

    private static long parseStep(Path path, int line, String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            // some writers print the step as a float, e.g. 1.000000e+02
            double d;
            try {
                d = Double.parseDouble(s);
            } catch (NumberFormatException e2) {
                throw bad(path, line, "column 1 (step) is '" + abbreviate(s) + "', not an integer", "the first column must be the MD step");
            }
            if (d != Math.rint(d) || Math.abs(d) > 9e15) {
                throw bad(path, line, "column 1 (step) is '" + abbreviate(s) + "', not an integer", "the first column must be the MD step");
            }
            return (long) d;
        }
    }

    private static double deviation(Path path, int line, String s, int col) {
        double d = number(path, line, s, col);
        if (d < 0) {
            throw bad(path, line, "column " + (col + 1) + " is negative (" + abbreviate(s) + ")",
                    "deviations are standard deviations (>= 0): the file is corrupt or not a model_devi file");
        }
        return d;
    }

    private static double number(Path path, int line, String s, int col) {
        String t = s.toLowerCase(java.util.Locale.ROOT);
        switch (t) {
            case "inf", "+inf", "infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "nan", "-nan", "+nan" -> {
                return Double.NaN;
            }
            default -> {
            }
        }
        try {
            if (t.endsWith("f") || t.endsWith("d")) throw new NumberFormatException(); // Java-only suffixes
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw bad(path, line, "column " + (col + 1) + " is '" + abbreviate(s) + "', not a number",
                    "pass a DeePMD-format model_devi file (whitespace-separated numbers; comment lines start with #)");
        }
    }

    private static InputException bad(Path path, int line, String what, String fix) {
        return new InputException("deviation file " + path + " line " + line + " " + what + ": " + fix);
    }

    private static String abbreviate(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 30 ? t.substring(0, 30) + "..." : t;
    }
}
