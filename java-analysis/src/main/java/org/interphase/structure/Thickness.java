package org.interphase.structure;

import java.util.Locale;

/**
 * A slab thickness as the user gave it: a whole number of unit cells ({@code 5}) or a length in
 * Angstrom ({@code 50A}), which is rounded to the nearest whole number of cells.
 *
 * @param value    the number given (> 0)
 * @param angstrom true when {@code value} is a length in Angstrom, false when it counts unit cells
 */
public record Thickness(double value, boolean angstrom) {

    /** Validates. */
    public Thickness {
        if (!Double.isFinite(value) || value <= 0) throw new IllegalArgumentException("thickness must be > 0, got " + value);
        if (!angstrom && value != Math.rint(value)) {
            throw new IllegalArgumentException("thickness in unit cells must be a whole number, got " + value);
        }
    }

    /** A thickness of {@code n} unit cells. */
    public static Thickness cells(int n) {
        return new Thickness(n, false);
    }

    /**
     * Parses {@code N} (unit cells) or {@code X A} / {@code XA} / {@code X Å} / {@code Xang} (Angstrom).
     *
     * @param what option name for the error message, e.g. "--electrolyte"
     * @throws IllegalArgumentException with a one-line message naming the option and the accepted forms
     */
    public static Thickness parse(String text, String what) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        boolean ang = false;
        for (String suffix : new String[] {"angstrom", "ang", "å", "a"}) {
            if (t.endsWith(suffix)) {
                t = t.substring(0, t.length() - suffix.length());
                ang = true;
                break;
            }
        }
        String help = what + " '" + text + "' is not a thickness: give a whole number of unit cells (e.g. 5) or a length in Angstrom (e.g. 50A)";
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(help);
        }
        if (!Double.isFinite(v) || v <= 0) throw new IllegalArgumentException(what + " must be > 0, got '" + text + "'");
        if (!ang && v != Math.rint(v)) throw new IllegalArgumentException(help);
        return new Thickness(v, ang);
    }

    /**
     * Number of unit cells of period {@code period} (Angstrom).
     *
     * @throws IllegalArgumentException when a length is shorter than half a cell (rounds to zero cells)
     */
    public int cells(double period, String what) {
        if (!angstrom) return checked((long) value, what);
        long n = Math.round(value / period);
        if (n < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s %.3g A is thinner than one %s cell (%.4f A): give at least %.1fA or 1 cell", what, value,
                    what.contains("metal") ? "Li" : "Li6PS5Cl", period, period));
        }
        return checked(n, what);
    }

    private static int checked(long n, String what) {
        if (n > 100_000) throw new IllegalArgumentException(what + " of " + n + " unit cells is absurd: the limit is 100000");
        return (int) n;
    }

    @Override
    public String toString() {
        return angstrom ? value + "A" : (long) value + " cells";
    }
}
