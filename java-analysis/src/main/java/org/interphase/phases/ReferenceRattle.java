package org.interphase.phases;

/**
 * How the reference crystals are rattled: either at a trajectory temperature (harmonic amplitudes per phase and
 * element from {@link HarmonicRattle}, copies at 0.7, 1.0 and 1.3 times them), or, without a temperature, the fixed
 * amplitude of the earlier rule (copies at 0, 1/3, 2/3 and 1 times {@code sigma}).
 *
 * @param temperature trajectory temperature in K, or null
 * @param sigma       fixed largest amplitude in A (used when temperature is null)
 */
public record ReferenceRattle(Double temperature, double sigma) implements ReferenceEnvironments {
    private static final double[] THERMAL = {0.7, 1.0, 1.3};
    private static final double[] FIXED = {0, 1.0 / 3, 2.0 / 3, 1.0};

    /** Amplitude factors of the copies. */
    public double[] factors() {
        return (temperature == null ? FIXED : THERMAL).clone();
    }

    /** Root-mean-square displacement per component (A) of an element in a phase, before the copy factor. */
    public double amplitude(String phase, String element) {
        return temperature == null ? sigma : HarmonicRattle.sigma(element, ReferenceCrystals.debyeTemperature(phase), temperature);
    }

    /** One rattled copy of the supercell per amplitude factor. */
    @Override
    public java.util.List<Snapshot> snapshots(ReferenceCrystal c, double minWidth, long seed) {
        double[] f = factors();
        java.util.List<Snapshot> out = new java.util.ArrayList<>(f.length);
        for (int copy = 0; copy < f.length; copy++) {
            double fac = f[copy];
            ReferenceCrystal.Supercell sc = c.supercell(minWidth, e -> fac * amplitude(c.phase(), e), seed + 1000L * copy + c.phase().hashCode());
            out.add(new Snapshot(sc.frame(), sc.sites()));
        }
        return out;
    }

    /** Text for the report. */
    @Override
    public String describe() {
        return temperature == null
                ? String.format(java.util.Locale.ROOT, "references rattled at 0, 1/3, 2/3, 1 x %.3f A", sigma)
                : String.format(java.util.Locale.ROOT, "references rattled harmonically at %.0f K (<u_x^2> = 3 hbar^2 T/(m k_B Theta_D^2),"
                        + " copies at 0.7, 1.0, 1.3 x; Li in Li metal %.3f A)", temperature, amplitude(ReferenceCrystals.LI_METAL, "Li"));
    }
}
