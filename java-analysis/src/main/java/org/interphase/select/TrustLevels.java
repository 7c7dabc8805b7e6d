package org.interphase.select;

import org.interphase.io.InputException;

/**
 * DP-GEN's trust levels on the model deviation. With force levels only: a row is a <b>candidate</b> if
 * {@code fLo <= max_devi_f < fHi}, <b>accurate</b> if {@code max_devi_f < fLo} and <b>failed</b> if
 * {@code max_devi_f >= fHi}. With virial levels too, the two quantities are combined as DP-GEN does: candidate if
 * either quantity lies in its window; otherwise failed if either is at or above its upper level; otherwise (both
 * below their lower levels) accurate. A NaN deviation (a model that blew up) is failed.
 *
 * @param fLo lower force level (eV/A)
 * @param fHi upper force level (eV/A)
 * @param vLo lower virial level (eV), or NaN without virial levels
 * @param vHi upper virial level (eV), or NaN without virial levels
 */
public record TrustLevels(double fLo, double fHi, double vLo, double vHi) {
    /** How a row is classified. */
    public enum Verdict { ACCURATE, CANDIDATE, FAILED }

    /** Checks lo < hi for each quantity. */
    public TrustLevels {
        check("--trust-lo", "--trust-hi", fLo, fHi, "eV/A", "0.05 and 0.15");
        if (Double.isNaN(vLo) != Double.isNaN(vHi)) {
            throw new InputException("give both --trust-lo-v and --trust-hi-v, or neither");
        }
        if (!Double.isNaN(vLo)) check("--trust-lo-v", "--trust-hi-v", vLo, vHi, "eV", "0.05 and 0.15");
    }

    /** Force levels only. */
    public static TrustLevels force(double fLo, double fHi) {
        return new TrustLevels(fLo, fHi, Double.NaN, Double.NaN);
    }

    private static void check(String lo, String hi, double a, double b, String unit, String example) {
        if (!Double.isFinite(a) || !Double.isFinite(b) || a < 0) {
            throw new InputException(lo + " and " + hi + " must be finite deviations >= 0 in " + unit + ", got " + a + " and " + b
                    + ": e.g. " + example);
        }
        if (!(a < b)) {
            throw new InputException(lo + " " + a + " must be smaller than " + hi + " " + b
                    + ": candidates are the rows with " + lo + " <= deviation < " + hi + ", e.g. " + lo + " 0.05 " + hi + " 0.15");
        }
    }

    /** Whether virial levels are used. */
    public boolean hasVirial() {
        return !Double.isNaN(vLo);
    }

    /** The verdict for one row. */
    public Verdict classify(DeviationFile.Row r) {
        return classify(r.maxF(), r.maxV());
    }

    /** The verdict for max_devi_f {@code f} and max_devi_v {@code v} (v is ignored without virial levels). */
    public Verdict classify(double f, double v) {
        boolean useV = hasVirial();
        if (Double.isNaN(f) || (useV && Double.isNaN(v))) return Verdict.FAILED;
        boolean fIn = f >= fLo && f < fHi;
        boolean vIn = useV && v >= vLo && v < vHi;
        if (fIn || vIn) return Verdict.CANDIDATE;
        if (f >= fHi || (useV && v >= vHi)) return Verdict.FAILED;
        return Verdict.ACCURATE;
    }
}
