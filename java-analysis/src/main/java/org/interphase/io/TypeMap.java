package org.interphase.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maps LAMMPS type ids (1-based) to element symbols. Immutable. */
public final class TypeMap {
    private static final Pattern ELEMENT = Pattern.compile("[A-Z][a-z]?");
    /** The 118 element symbols of the periodic table. */
    private static final java.util.Set<String> PERIODIC_TABLE = java.util.Set.of((
            "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og").split(" "));

    /** Whether {@code symbol} is an element of the periodic table (case-sensitive: "Li", not "LI"). */
    public static boolean isElement(String symbol) {
        return PERIODIC_TABLE.contains(symbol);
    }
    private final TreeMap<Integer, String> map;

    private TypeMap(Map<Integer, String> map) {
        this.map = new TreeMap<>(map);
    }

    /** From an explicit map. */
    public static TypeMap of(Map<Integer, String> map) {
        return new TypeMap(map);
    }

    /**
     * Parses "Li,P,S,Cl" (type i+1 = i-th symbol) or "1=Li,2=P,...".
     *
     * @throws InputException on malformed text
     */
    public static TypeMap parse(String spec) {
        TreeMap<Integer, String> m = new TreeMap<>();
        String[] parts = spec.trim().split("[,\\s]+");
        for (int k = 0; k < parts.length; k++) {
            String p = parts[k].trim();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            int id;
            String el;
            if (eq >= 0) {
                try {
                    id = Integer.parseInt(p.substring(0, eq).trim());
                } catch (NumberFormatException e) {
                    throw new InputException("--types entry '" + p + "' has no integer type id: write e.g. --types 1=Li,2=P or --types Li,P");
                }
                el = p.substring(eq + 1).trim();
            } else {
                id = k + 1;
                el = p;
            }
            if (!ELEMENT.matcher(el).matches()) {
                throw new InputException("--types entry '" + p + "' is not an element symbol: write e.g. --types Li,P,S,Cl");
            }
            if (!isElement(el)) {
                throw new InputException("--types entry '" + p + "': " + el + " is not an element of the periodic table: "
                        + "write element symbols, e.g. --types Li,P,S,Cl");
            }
            if (id < 1) throw new InputException("--types entry '" + p + "': LAMMPS type ids start at 1");
            m.put(id, el);
        }
        if (m.isEmpty()) throw new InputException("--types is empty: write e.g. --types Li,P,S,Cl");
        return new TypeMap(m);
    }

    /**
     * Reads the Masses section of a LAMMPS data file whose lines carry the element as a comment,
     * e.g. "1 6.94 # Li".
     */
    public static TypeMap fromDataFile(Path data) {
        TreeMap<Integer, String> m = new TreeMap<>();
        Pattern line = Pattern.compile("^\\s*(\\d+)\\s+[-+0-9.eE]+\\s*(?:#\\s*([A-Za-z]+))?.*$");
        try (BufferedReader r = Files.newBufferedReader(data)) {
            String s;
            boolean inMasses = false;
            int blank = 0;
            while ((s = r.readLine()) != null) {
                String t = s.strip();
                if (!inMasses) {
                    if (t.equals("Masses") || t.startsWith("Masses ") || t.startsWith("Masses#")) {
                        inMasses = true;
                        blank = 0;
                    }
                    continue;
                }
                if (t.isEmpty()) {
                    if (++blank >= 2 || !m.isEmpty()) {
                        if (!m.isEmpty()) break;
                    }
                    continue;
                }
                Matcher mt = line.matcher(t);
                if (!mt.matches()) break;
                String el = mt.group(2);
                if (el == null || !ELEMENT.matcher(el).matches()) {
                    throw new InputException("data file " + data + ": Masses line '" + t
                            + "' has no element comment: add one like '1 6.94 # Li' or pass --types Li,P,S,Cl");
                }
                if (!isElement(el)) {
                    throw new InputException("data file " + data + ": Masses line '" + t + "' names " + el
                            + ", which is not an element of the periodic table: fix the comment (e.g. '1 6.94 # Li') or pass --types");
                }
                m.put(Integer.parseInt(mt.group(1)), el);
            }
        } catch (IOException e) {
            throw new InputException("cannot read data file " + data + ": " + Messages.ioCause(e) + ": check the --data path");
        }
        if (m.isEmpty()) {
            throw new InputException("data file " + data + " has no Masses section with element comments: add '1 6.94 # Li' lines or pass --types Li,P,S,Cl");
        }
        return new TypeMap(m);
    }

    /** Element of type id, or null. */
    public String element(int type) {
        return map.get(type);
    }

    /** Type id of an element (first match), or -1. */
    public int typeOf(String element) {
        for (var e : map.entrySet()) if (e.getValue().equals(element)) return e.getKey();
        return -1;
    }

    /** Distinct elements in type order. */
    public List<String> elements() {
        List<String> out = new ArrayList<>();
        for (String e : map.values()) if (!out.contains(e)) out.add(e);
        return Collections.unmodifiableList(out);
    }

    /** Maps type ids to elements; fails with a one-line message for a missing id. */
    public String[] apply(int[] types, String source) {
        String[] out = new String[types.length];
        for (int i = 0; i < types.length; i++) {
            String e = map.get(types[i]);
            if (e == null) {
                throw new InputException(source + ": atom type " + types[i] + " is missing from the type map " + this
                        + ": give every type an element with --types (e.g. --types Li,P,S,Cl) or --data FILE");
            }
            out[i] = e;
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (var e : map.entrySet()) {
            if (sb.length() > 0) sb.append(',');
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.toString();
    }
}
