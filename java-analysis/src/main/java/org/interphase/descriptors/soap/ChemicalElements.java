package org.interphase.descriptors.soap;

import java.util.HashMap;
import java.util.Map;

/** Element symbols and atomic numbers (Z = 1..118), used to order SOAP species like dscribe (by Z). */
public final class ChemicalElements {
    private static final String[] SYMBOLS = (
            "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr "
            + "Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb "
            + "Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr "
            + "Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og").split(" ");
    private static final Map<String, Integer> NUMBERS = new HashMap<>();

    static {
        for (int i = 0; i < SYMBOLS.length; i++) NUMBERS.put(SYMBOLS[i], i + 1);
    }

    private ChemicalElements() {
    }

    /** Atomic number of {@code symbol} (case-sensitive, e.g. "Li"), or -1 when it is not an element symbol. */
    public static int atomicNumber(String symbol) {
        Integer z = symbol == null ? null : NUMBERS.get(symbol);
        return z == null ? -1 : z;
    }

    /** Element symbol of atomic number z (1..118). */
    public static String symbol(int z) {
        if (z < 1 || z > SYMBOLS.length) throw new IllegalArgumentException("no element with atomic number " + z);
        return SYMBOLS[z - 1];
    }
}
