package org.interphase.descriptors;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.interphase.descriptors.soap.ChemicalElements;

/**
 * Parameters of the SOAP power spectrum, with dscribe 2.1's meaning and checks
 * ({@code dscribe.descriptors.SOAP(r_cut, n_max, l_max, sigma, rbf, species)} with weighting off,
 * compression off and average "off").
 *
 * @param rCut    radial cutoff of the basis in Angstrom (gto: must be &gt; 1 A)
 * @param nMax    number of radial basis functions (&gt;= 1)
 * @param lMax    largest spherical-harmonic degree (0..20, dscribe's limit)
 * @param sigma   standard deviation of the atomic Gaussians in Angstrom (&gt; 0)
 * @param rbf     radial basis: {@link Rbf#GTO} (dscribe's default) or {@link Rbf#POLYNOMIAL}
 * @param species element symbols that may occur; features are ordered by atomic number like dscribe
 */
public record SoapParameters(double rCut, int nMax, int lMax, double sigma, Rbf rbf, List<String> species) {

    /** dscribe's largest l_max. */
    public static final int MAX_L = 20;
    /** Gaussians are cut where they have decayed to this fraction (dscribe's cutoff padding threshold). */
    public static final double PADDING_THRESHOLD = 1e-3;

    /** Radial basis choice. */
    public enum Rbf {
        /** Orthonormalised Gaussian-type orbitals, analytic smearing integral (dscribe "gto"). */
        GTO("gto"),
        /** Orthonormalised polynomials (r_cut - r)^(k+2), numerical integral (dscribe "polynomial"). */
        POLYNOMIAL("polynomial");

        private final String label;

        Rbf(String label) {
            this.label = label;
        }

        /** dscribe's name for this basis. */
        public String label() {
            return label;
        }

        /** Parses "gto" or "polynomial" (case-insensitive). */
        public static Rbf parse(String s) {
            for (Rbf r : values()) {
                if (r.label.equalsIgnoreCase(s == null ? "" : s.trim())) return r;
            }
            throw new IllegalArgumentException("unknown SOAP radial basis '" + s + "': use gto or polynomial");
        }
    }

    /** Validates; species are de-duplicated and stored sorted by atomic number. */
    public SoapParameters {
        if (!(rCut > 0) || !Double.isFinite(rCut)) {
            throw new IllegalArgumentException("SOAP r_cut must be a positive number of Angstrom, got " + rCut);
        }
        if (rbf == null) throw new IllegalArgumentException("SOAP radial basis missing: use gto or polynomial");
        if (rbf == Rbf.GTO && rCut <= 1.0) {
            throw new IllegalArgumentException("SOAP r_cut " + rCut + " A is too small for the gto radial basis: use r_cut > 1 A");
        }
        if (nMax < 1) throw new IllegalArgumentException("SOAP n_max must be at least 1, got " + nMax);
        if (lMax < 0 || lMax > MAX_L) {
            throw new IllegalArgumentException("SOAP l_max must be between 0 and " + MAX_L + ", got " + lMax);
        }
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("SOAP sigma must be a positive number of Angstrom, got " + sigma);
        }
        if (species == null || species.isEmpty()) {
            throw new IllegalArgumentException("SOAP needs at least one species, e.g. Li P S Cl");
        }
        Set<String> seen = new HashSet<>();
        List<String> sorted = new ArrayList<>();
        for (String s : species) {
            if (ChemicalElements.atomicNumber(s) < 0) {
                throw new IllegalArgumentException("SOAP species '" + s + "' is not an element symbol (use e.g. Li, P, S, Cl)");
            }
            if (seen.add(s)) sorted.add(s);
        }
        sorted.sort(Comparator.comparingInt(ChemicalElements::atomicNumber));
        species = List.copyOf(sorted);
    }

    /** Convenience factory with the rbf given by its dscribe name. */
    public static SoapParameters of(double rCut, int nMax, int lMax, double sigma, String rbf, List<String> species) {
        return new SoapParameters(rCut, nMax, lMax, sigma, Rbf.parse(rbf), species);
    }

    /** The same parameters for other species. */
    public SoapParameters withSpecies(List<String> other) {
        return new SoapParameters(rCut, nMax, lMax, sigma, rbf, other);
    }

    /** eta = 1 / (2 sigma^2). */
    public double eta() {
        return 1.0 / (2.0 * sigma * sigma);
    }

    /** dscribe's padding sigma * sqrt(-2 ln 1e-3) added to r_cut for the neighbour search. */
    public double cutoffPadding() {
        return sigma * Math.sqrt(-2.0 * Math.log(PADDING_THRESHOLD));
    }

    /** Neighbour cutoff r_cut + padding: atoms this close contribute (dscribe's CellList cutoff). */
    public double neighbourCutoff() {
        return rCut + cutoffPadding();
    }

    /** Number of species. */
    public int speciesCount() {
        return species.size();
    }

    /** Feature count (S n_max)(S n_max + 1)/2 (l_max + 1), as dscribe's get_number_of_features. */
    public int dimension() {
        int sn = species.size() * nMax;
        return sn * (sn + 1) / 2 * (lMax + 1);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "soap(r_cut=%g, n_max=%d, l_max=%d, sigma=%g, rbf=%s, species=%s)",
                rCut, nMax, lMax, sigma, rbf.label(), String.join(" ", species));
    }
}
