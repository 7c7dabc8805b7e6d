package org.interphase.structure;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A cubic conventional cell: lattice constant and atoms as element + fractional coordinates in [0, 1).
 *
 * @param name     human-readable name (for messages and file headers)
 * @param a        cubic lattice constant in Angstrom
 * @param elements element symbol of each atom
 * @param frac     3N fractional coordinates (s0,s1,s2,...), each in [0, 1)
 */
public record CrystalCell(String name, double a, String[] elements, double[] frac) {

    /** Validates sizes and copies the arrays. */
    public CrystalCell {
        if (!(a > 0) || !Double.isFinite(a)) throw new IllegalArgumentException(name + ": lattice constant must be > 0, got " + a);
        if (elements.length == 0 || frac.length != 3 * elements.length) {
            throw new IllegalArgumentException(name + ": need one fractional triple per atom");
        }
        elements = elements.clone();
        frac = frac.clone();
    }

    /** Number of atoms. */
    public int size() {
        return elements.length;
    }

    @Override
    public String[] elements() {
        return elements.clone();
    }

    @Override
    public double[] frac() {
        return frac.clone();
    }

    /** Element of atom i. */
    public String element(int i) {
        return elements[i];
    }

    /** Fractional coordinate d of atom i. */
    public double frac(int i, int d) {
        return frac[3 * i + d];
    }

    /** Same cell with another lattice constant (fractional coordinates unchanged). */
    public CrystalCell withLatticeConstant(double newA) {
        return new CrystalCell(name, newA, elements, frac);
    }

    /** Element counts, sorted by symbol, e.g. {Cl=4, Li=24, P=4, S=20}. */
    public Map<String, Integer> composition() {
        Map<String, Integer> m = new TreeMap<>();
        for (String e : elements) m.merge(e, 1, Integer::sum);
        return m;
    }

    /** Wraps a fractional coordinate into [0, 1), mapping values within 1e-9 of 1 to 0. */
    static double wrap(double s) {
        double w = s - Math.floor(s);
        return (w >= 1.0 - 1e-9) ? 0.0 : w;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CrystalCell c && name.equals(c.name) && a == c.a && Arrays.equals(elements, c.elements)
                && Arrays.equals(frac, c.frac);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(elements);
    }

    @Override
    public String toString() {
        return "CrystalCell[" + name + ", a=" + a + ", " + composition() + "]";
    }
}
