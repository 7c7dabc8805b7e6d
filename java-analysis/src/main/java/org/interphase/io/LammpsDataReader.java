package org.interphase.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a LAMMPS data file (atom_style atomic: {@code id type x y z [ix iy iz]}) as a single frame at step 0,
 * fully periodic. Elements come from the type map, or else from the Masses comments ({@code 1 6.94 # Li}).
 */
public final class LammpsDataReader implements FrameSource {
    private final Path path;
    private final TypeMap typeMap;
    private boolean done;

    /** Opens the file; typeMap may be null when the Masses lines are labelled. */
    public LammpsDataReader(Path path, TypeMap typeMap) {
        this.path = path;
        this.typeMap = typeMap;
    }

    @Override
    public String description() {
        return path + " (LAMMPS data file)";
    }

    @Override
    public Frame next() throws IOException {
        if (done) return null;
        done = true;
        TypeMap map = typeMap != null ? typeMap : TypeMap.fromDataFile(path);
        double[] lo = new double[3], hi = new double[3], tilt = new double[3];
        long natoms = -1;
        try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            r.readLine(); // title
            String s;
            while ((s = r.readLine()) != null) {
                String t = s.replaceAll("#.*", "").trim();
                if (t.isEmpty()) continue;
                String[] f = t.split("\\s+");
                if (t.endsWith(" atoms")) {
                    natoms = Long.parseLong(f[0]);
                } else if (t.endsWith("xlo xhi") || t.endsWith("ylo yhi") || t.endsWith("zlo zhi")) {
                    int d = t.endsWith("xlo xhi") ? 0 : t.endsWith("ylo yhi") ? 1 : 2;
                    lo[d] = Double.parseDouble(f[0]);
                    hi[d] = Double.parseDouble(f[1]);
                } else if (t.endsWith("xy xz yz")) {
                    for (int k = 0; k < 3; k++) tilt[k] = Double.parseDouble(f[k]);
                } else if (f[0].equals("Atoms")) {
                    if (natoms < 0) throw new InputException(path + ": no 'N atoms' line before the Atoms section: not a LAMMPS data file");
                    if (natoms == 0) throw new InputException(path + " has zero atoms: nothing to analyse");
                    return readAtoms(r, (int) natoms, lo, hi, tilt, map);
                } else if (Character.isLetter(f[0].charAt(0)) && !t.contains(" ")) {
                    // other section header (Masses, Velocities...): its lines are skipped by the checks above
                    continue;
                }
            }
        } catch (NumberFormatException e) {
            throw new InputException(path + ": malformed header number (" + e.getMessage() + "): not a LAMMPS data file");
        }
        throw new InputException(path + " has no Atoms section: not a complete LAMMPS data file");
    }

    private Frame readAtoms(BufferedReader r, int n, double[] lo, double[] hi, double[] tilt, TypeMap map) throws IOException {
        long[] ids = new long[n];
        int[] types = new int[n];
        double[] x = new double[3 * n];
        int i = 0;
        String s;
        while (i < n && (s = r.readLine()) != null) {
            String t = s.replaceAll("#.*", "").trim();
            if (t.isEmpty()) continue;
            String[] f = t.split("\\s+");
            if (f.length < 5) throw new InputException(path + ": Atoms line '" + t + "' needs id type x y z (atom_style atomic)");
            try {
                ids[i] = Long.parseLong(f[0]);
                types[i] = Integer.parseInt(f[1]);
                for (int d = 0; d < 3; d++) x[3 * i + d] = Double.parseDouble(f[2 + d]) - lo[d];
            } catch (NumberFormatException e) {
                throw new InputException(path + ": Atoms line '" + t + "' is not 'id type x y z' (atom_style atomic)");
            }
            i++;
        }
        if (i < n) throw new InputException(path + ": Atoms section ends after " + i + " of " + n + " atoms (truncated file?)");
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) order[k] = k;
        Arrays.sort(order, (p, q) -> Long.compare(ids[p], ids[q]));
        double[] xs = new double[3 * n];
        int[] ts = new int[n];
        for (int k = 0; k < n; k++) {
            System.arraycopy(x, 3 * order[k], xs, 3 * k, 3);
            ts[k] = types[order[k]];
        }
        Box box = Box.lammps(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2], tilt[0], tilt[1], tilt[2], new boolean[] {true, true, true});
        return new Frame(0, Double.NaN, box, xs, ts, map.apply(ts, path.toString()));
    }

    @Override
    public void close() {
        // nothing held open
    }
}
