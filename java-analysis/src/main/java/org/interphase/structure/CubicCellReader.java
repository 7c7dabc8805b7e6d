package org.interphase.structure;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a cubic conventional cell from a LAMMPS data file (atom_style atomic, orthogonal cubic box,
 * element names as comments in the Masses section, e.g. {@code 1 6.94 # Li}), such as
 * {@code shared/data/Li6PS5Cl_conventional.data}. Only what {@code build-cell --lpsc} needs.
 */
public final class CubicCellReader {
    private CubicCellReader() {
    }

    /**
     * Parses the file.
     *
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when the file is not a cubic atom_style atomic data file with labelled masses
     */
    public static CrystalCell read(Path file) throws IOException {
        List<String> lines;
        try (BufferedReader r = Files.newBufferedReader(file)) {
            lines = r.lines().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            IOException io = e instanceof java.io.UncheckedIOException u ? u.getCause() : (IOException) e;
            throw new IOException("cannot read --lpsc " + file + ": " + org.interphase.io.Messages.ioCause(io)
                    + ": pass a LAMMPS data file of the cubic Li6PS5Cl cell");
        }
        String where = file.toString();
        double[] lo = new double[3];
        double[] hi = new double[3];
        boolean[] seenBox = new boolean[3];
        int natoms = -1;
        Map<Integer, String> typeElement = new HashMap<>();
        List<String> els = new ArrayList<>();
        List<Double> xyz = new ArrayList<>();
        String section = "";
        for (int ln = 1; ln < lines.size(); ln++) { // line 1 is the title
            String raw = lines.get(ln);
            String comment = raw.contains("#") ? raw.substring(raw.indexOf('#') + 1).trim() : "";
            String line = (raw.contains("#") ? raw.substring(0, raw.indexOf('#')) : raw).trim();
            if (line.isEmpty()) continue;
            String[] t = line.split("\\s+");
            if (Character.isLetter(line.charAt(0))) {
                section = t[0];
                if (section.equals("Atoms") && !comment.isEmpty() && !comment.startsWith("atomic")) {
                    throw new IllegalArgumentException(where + ": Atoms section is '" + comment + "', need atom_style atomic");
                }
                continue;
            }
            try {
                if (section.isEmpty()) {
                    if (line.endsWith(" atoms")) natoms = Integer.parseInt(t[0]);
                    for (int d = 0; d < 3; d++) {
                        String key = "xyz".charAt(d) + "lo";
                        if (t.length >= 4 && t[2].equals(key)) {
                            lo[d] = Double.parseDouble(t[0]);
                            hi[d] = Double.parseDouble(t[1]);
                            seenBox[d] = true;
                        }
                    }
                    if (t.length >= 4 && t[3].equals("xy")) {
                        throw new IllegalArgumentException(where + ": triclinic box; build-cell needs the cubic conventional cell");
                    }
                } else if (section.equals("Masses")) {
                    if (comment.isEmpty()) {
                        throw new IllegalArgumentException(where + ": Masses line '" + raw.trim()
                                + "' has no element comment; write it as '1 6.94 # Li'");
                    }
                    typeElement.put(Integer.parseInt(t[0]), comment.split("\\s+")[0]);
                } else if (section.equals("Atoms")) {
                    int type = Integer.parseInt(t[1]);
                    String e = typeElement.get(type);
                    if (e == null) throw new IllegalArgumentException(where + ": atom type " + type + " has no labelled mass");
                    els.add(e);
                    for (int d = 0; d < 3; d++) xyz.add(Double.parseDouble(t[2 + d]));
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException(where + ":" + (ln + 1) + ": cannot parse '" + raw.trim() + "'");
            }
        }
        if (!(seenBox[0] && seenBox[1] && seenBox[2])) throw new IllegalArgumentException(where + ": no xlo/ylo/zlo box lines");
        double a = hi[0] - lo[0];
        for (int d = 1; d < 3; d++) {
            if (Math.abs((hi[d] - lo[d]) - a) > 1e-6 * a) {
                throw new IllegalArgumentException(where + ": box is not cubic (" + (hi[0] - lo[0]) + ", " + (hi[1] - lo[1])
                        + ", " + (hi[2] - lo[2]) + ")");
            }
        }
        if (els.isEmpty() || (natoms >= 0 && natoms != els.size())) {
            throw new IllegalArgumentException(where + ": header says " + natoms + " atoms, Atoms section has " + els.size());
        }
        double[] frac = new double[xyz.size()];
        for (int i = 0; i < frac.length; i++) frac[i] = CrystalCell.wrap((xyz.get(i) - lo[i % 3]) / a);
        String name = file.getFileName().toString().replaceFirst("\\.data$", "");
        return new CrystalCell(name, a, els.toArray(String[]::new), frac);
    }
}
