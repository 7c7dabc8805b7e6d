package org.interphase.structure;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Locale;
import org.interphase.io.AtomicFile;

/**
 * Writes an {@link InterfaceCell} as a LAMMPS data file (atom_style atomic, Masses labelled {@code # Li}, optional
 * Atom Type Labels section) and a {@code .properties} side file with the geometry that the run script and the
 * analysis use. Files are written by {@link AtomicFile}, so a failed write never leaves a truncated data file behind.
 */
public final class CellWriter {
    private CellWriter() {
    }

    /**
     * Writes the data file.
     *
     * @param typeLabels also write an "Atom Type Labels" section (LAMMPS 15Sep2022 or later)
     * @throws IOException with a one-line message naming the file and the cause
     */
    public static void writeData(Path file, InterfaceCell cell, String title, boolean typeLabels) throws IOException {
        InterfaceGeometry g = cell.geometry();
        AtomicFile.write(file, w -> {
            w.write(title.replace('\n', ' '));
            w.write("\n\n");
            w.write(cell.size() + " atoms\n");
            w.write((InterfaceCell.TYPE_ELEMENTS.length - 1) + " atom types\n\n");
            w.write(String.format(Locale.ROOT, "0.0 %.10f xlo xhi\n0.0 %.10f ylo yhi\n0.0 %.10f zlo zhi\n\n", g.lx(), g.ly(), g.lz()));
            if (typeLabels) { // LAMMPS reads type labels only before any section that uses types
                w.write("Atom Type Labels\n\n");
                for (int t = 1; t < InterfaceCell.TYPE_ELEMENTS.length; t++) w.write(t + " " + InterfaceCell.TYPE_ELEMENTS[t] + "\n");
                w.write("\n");
            }
            w.write("Masses\n\n");
            for (int t = 1; t < InterfaceCell.TYPE_ELEMENTS.length; t++) {
                w.write(String.format(Locale.ROOT, "%d %s # %s\n", t, InterfaceCell.TYPE_MASSES[t], InterfaceCell.TYPE_ELEMENTS[t]));
            }
            w.write("\nAtoms # atomic\n\n");
            StringBuilder sb = new StringBuilder(64);
            double[] p = cell.positions();
            int[] types = cell.types();
            for (int i = 0; i < cell.size(); i++) {
                sb.setLength(0);
                sb.append(i + 1).append(' ').append(types[i]);
                for (int d = 0; d < 3; d++) sb.append(' ').append(String.format(Locale.ROOT, "%.8f", p[3 * i + d]));
                sb.append('\n');
                w.write(sb.toString());
            }
        });
    }

    /** Writes the geometry as Java properties (key = value, one per line), readable from Python and shell. */
    public static void writeProperties(Path file, InterfaceCell cell, String dataFileName, String cutoffNote) throws IOException {
        InterfaceGeometry g = cell.geometry();
        int[] c = cell.typeCounts();
        AtomicFile.write(file, w -> {
            w.write("# Li | Li6PS5Cl | Li cell written by interphase build-cell (lengths in Angstrom, z from boxlo)\n");
            kv(w, "data_file", dataFileName);
            kv(w, "orientation", "Li(001)||Li6PS5Cl(001), Li[100]||Li6PS5Cl[100]");
            kv(w, "atoms", cell.size());
            kv(w, "count_Li", c[1]);
            kv(w, "count_P", c[2]);
            kv(w, "count_S", c[3]);
            kv(w, "count_Cl", c[4]);
            kv(w, "lx", g.lx());
            kv(w, "ly", g.ly());
            kv(w, "lz", g.lz());
            kv(w, "nx", g.nx());
            kv(w, "ny", g.ny());
            kv(w, "electrolyte_cells", g.electrolyteCells());
            kv(w, "li_cells_x", g.liCellsX());
            kv(w, "li_cells_y", g.liCellsY());
            kv(w, "metal_cells", g.metalCells());
            kv(w, "metal_strain_x", g.metalStrainX());
            kv(w, "metal_strain_y", g.metalStrainY());
            kv(w, "gap", g.gap());
            kv(w, "metal_zlo", g.metalZlo());
            kv(w, "metal_zhi", g.metalZhi());
            kv(w, "electrolyte_zlo", g.electrolyteZlo());
            kv(w, "electrolyte_zhi", g.electrolyteZhi());
            kv(w, "interface_upper_z", g.upperInterfaceZ());
            kv(w, "interface_lower_z", 0.0);
            kv(w, "metal_ids", "1:" + g.metalAtoms());
            kv(w, "electrolyte_ids", (g.metalAtoms() + 1) + ":" + g.atoms());
            kv(w, "cutoff_check", cutoffNote);
        });
    }

    private static void kv(Writer w, String key, Object value) throws IOException {
        w.write(key + " = " + value + "\n");
    }
}
