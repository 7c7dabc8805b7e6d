package org.interphase.phases;

import java.util.Map;

/**
 * Thermal displacement amplitudes of the reference crystals at a trajectory's temperature, in the classical
 * (high-temperature) limit of the Debye model, which is the limit classical MD samples:
 *
 * <pre>
 *   &lt;u_x^2&gt; = 3 hbar^2 T / (m k_B Theta_D^2)      per Cartesian component
 * </pre>
 *
 * the T &gt;&gt; Theta_D form of the Debye-Waller factor B = 8 pi^2 &lt;u_x^2&gt; = 6 h^2 T / (m k_B Theta_D^2)
 * (B. T. M. Willis and A. W. Pryor, Thermal Vibrations in Crystallography, Cambridge 1975, ch. 4; the same as an
 * Einstein oscillator kT/(m omega_E^2) with omega_E = k_B Theta_D / (sqrt(3) hbar)). m is the mass of the displaced
 * atom's element, Theta_D the phase's Debye temperature ({@link ReferenceCrystals#debyeTemperature}). Using the
 * element's own mass in a compound is the per-species Einstein approximation: light Li vibrates more than S.
 */
public final class HarmonicRattle {
    /** hbar^2 / (amu k_B) in A^2 K: (1.054571817e-34 J s)^2 / (1.66053907e-27 kg * 1.380649e-23 J/K) * 1e20. */
    public static final double HBAR2_OVER_AMU_KB = 1.054571817e-34 * 1.054571817e-34 / (1.66053907e-27 * 1.380649e-23) * 1e20;

    /** Standard atomic weights (IUPAC 2021, abridged), amu. */
    public static final Map<String, Double> MASS = Map.of("Li", 6.94, "P", 30.974, "S", 32.06, "Cl", 35.45);

    private HarmonicRattle() {
    }

    /**
     * Root-mean-square displacement per Cartesian component (A) of an atom of the element in a crystal with Debye
     * temperature thetaD (K) at temperature t (K).
     */
    public static double sigma(String element, double thetaD, double t) {
        Double m = MASS.get(element);
        if (m == null) throw new IllegalArgumentException("no atomic mass for element " + element + ": add it to HarmonicRattle.MASS");
        if (!(t >= 0) || !(thetaD > 0)) throw new IllegalArgumentException("temperature must be >= 0 K, got " + t);
        return Math.sqrt(3 * HBAR2_OVER_AMU_KB * t / (m * thetaD * thetaD));
    }
}
