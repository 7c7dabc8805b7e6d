package org.interphase.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.interphase.phases.ReferenceCrystal;

/**
 * Periodic cells of crystal layers stacked along z for LAMMPS tests (e.g. bcc Li | LiCl | Li2S), built from the
 * crystallography of {@link org.interphase.phases.ReferenceCrystals}: each layer is its conventional cubic cell
 * repeated, optionally rotated by 45 degrees about z (F-centred lattices: the in-plane period is then a/sqrt(2)), and
 * strained laterally to the common box width, optionally with its cut planes moved by a fractional z shift (so the
 * argyrodite's PS4 tetrahedra stay whole); the atomic planes facing each other across an interface are a gap
 * apart. Each atom keeps the layer's truth
 * label, its site and its element; substitutions replace elements on a site at random.
 */
public final class LayeredCell {
    /** One atom: element, position, truth phase, site label, distance to the nearest mid-gap plane (A). */
    public record Atom(String element, double[] x, String truth, String site, double interfaceDistance) {
    }

    /** A layer to stack. */
    public record Layer(ReferenceCrystal crystal, String truth, boolean rotate, int lateral, int cellsZ, double shiftZ) {
        /** A layer starting at fractional z = 0 of its cell. */
        public Layer(ReferenceCrystal crystal, String truth, boolean rotate, int lateral, int cellsZ) {
            this(crystal, truth, rotate, lateral, cellsZ, 0);
        }
    }

    private final double l;
    private final double lz;
    private final List<Atom> atoms;

    private LayeredCell(double l, double lz, List<Atom> atoms) {
        this.l = l;
        this.lz = lz;
        this.atoms = atoms;
    }

    /** Lateral box width (A). */
    public double lateral() {
        return l;
    }

    /** Box height (A). */
    public double height() {
        return lz;
    }

    /** The atoms in LAMMPS id order. */
    public List<Atom> atoms() {
        return atoms;
    }

    /**
     * Stacks the layers in a box of lateral width l with the given gap after each layer. substitute[k] = {site,
     * element, fraction} entries replace that fraction of the atoms on the site (in layers whose truth equals
     * substitutedTruth) by the element, seeded.
     */
    public static LayeredCell build(double l, double gap, List<Layer> layers, String substitutedTruth, List<Object[]> substitute, long seed) {
        List<double[]> pos = new ArrayList<>();
        List<String[]> meta = new ArrayList<>(); // element, truth, site
        List<double[]> bounds = new ArrayList<>();
        double z0 = 0;
        for (Layer ly : layers) {
            ReferenceCrystal c = ly.crystal();
            double a = c.h()[0];
            double period = ly.rotate() ? a / Math.sqrt(2) : a;
            double window = ly.lateral() * period;
            double scale = l / window;
            int range = 2 * ly.lateral() + 2;
            int start = pos.size();
            for (int i = -range; i <= range; i++) for (int j = -range; j <= range; j++) for (int k = 0; k < ly.cellsZ(); k++) {
                for (int b = 0; b < c.size(); b++) {
                    double fz = c.frac()[3 * b + 2] - ly.shiftZ();
                    fz -= Math.floor(fz);
                    double x = (i + c.frac()[3 * b]) * a, y = (j + c.frac()[3 * b + 1]) * a, z = (k + fz) * a;
                    double xp = ly.rotate() ? (x + y) / Math.sqrt(2) : x, yp = ly.rotate() ? (y - x) / Math.sqrt(2) : y;
                    if (xp < -1e-9 || xp >= window - 1e-9 || yp < -1e-9 || yp >= window - 1e-9) continue;
                    pos.add(new double[] {Math.max(0, xp) * scale, Math.max(0, yp) * scale, z0 + z});
                    meta.add(new String[] {c.elements()[b], ly.truth(), c.sites()[b]});
                }
            }
            double bottom = Double.MAX_VALUE;
            for (int i = start; i < pos.size(); i++) bottom = Math.min(bottom, pos.get(i)[2]);
            for (int i = start; i < pos.size(); i++) pos.get(i)[2] -= bottom - z0; // first atomic plane at z0
            double top = z0;
            for (int i = start; i < pos.size(); i++) top = Math.max(top, pos.get(i)[2]);
            bounds.add(new double[] {z0, top});
            z0 = top + gap; // gap between the last atomic plane and the next layer's first (z = 0 of its cell)
        }
        double lz = z0;
        // mid-gap planes: between consecutive layers and (periodic) between the last and the first
        List<Double> planes = new ArrayList<>();
        for (double[] bd : bounds) planes.add(bd[1] + gap / 2);
        Random rnd = new Random(seed);
        List<Atom> atoms = new ArrayList<>();
        for (int i = 0; i < pos.size(); i++) {
            String[] m = meta.get(i);
            String el = m[0];
            if (m[1].equals(substitutedTruth)) {
                double u = rnd.nextDouble(), acc = 0;
                for (Object[] s : substitute) {
                    if (!s[0].equals(m[2])) continue;
                    acc += (Double) s[2];
                    if (u < acc) {
                        el = (String) s[1];
                        break;
                    }
                }
            }
            double z = pos.get(i)[2], dmin = Double.MAX_VALUE;
            for (double p : planes) {
                double dz = Math.abs(z - p);
                dmin = Math.min(dmin, Math.min(dz, lz - dz));
            }
            atoms.add(new Atom(el, pos.get(i), m[1], m[2], dmin));
        }
        return new LayeredCell(l, lz, atoms);
    }

    /** LAMMPS atom type of an element (Li P S Cl = 1..4). */
    public static int type(String element) {
        return List.of("Li", "P", "S", "Cl").indexOf(element) + 1;
    }

    /** Writes a LAMMPS data file (atom_style atomic, types Li P S Cl, box from 0). */
    public void writeData(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("LayeredCell (interphase tests)\n\n");
        sb.append(atoms.size()).append(" atoms\n4 atom types\n\n");
        sb.append(String.format(Locale.ROOT, "0 %.8f xlo xhi%n0 %.8f ylo yhi%n0 %.8f zlo zhi%n%n", l, l, lz));
        sb.append("Masses\n\n1 6.94 # Li\n2 30.974 # P\n3 32.06 # S\n4 35.45 # Cl\n\nAtoms # atomic\n\n");
        for (int i = 0; i < atoms.size(); i++) {
            Atom a = atoms.get(i);
            sb.append(String.format(Locale.ROOT, "%d %d %.8f %.8f %.8f%n", i + 1, type(a.element()), a.x()[0], a.x()[1], a.x()[2]));
        }
        Files.writeString(file, sb.toString());
    }

    /**
     * LAMMPS input: every atom tethered to its site by fix spring/self (K_Li, K_other in eV/A^2) and thermostatted by
     * fix langevin at t (K) with pair_style zero, equilibrated 1 ps, then `frames` H5MD frames 0.4 ps apart.
     */
    public static String rattleInput(double t, double kLi, double kOther, int frames, long seed) {
        return String.format(Locale.ROOT, """
                units metal
                atom_style atomic
                boundary p p p
                read_data cell.data
                pair_style zero 3.0
                pair_coeff * *
                group li type 1
                group heavy type 2 3 4
                fix tether_li li spring/self %.6f
                fix tether_heavy heavy spring/self %.6f
                velocity all create %.1f %d dist gaussian
                fix bath all langevin %.1f %.1f 0.1 %d
                fix move all nve
                timestep 0.002
                thermo 250
                run 500
                reset_timestep 0
                dump d all h5md 200 traj.h5 position species
                run %d
                """, kLi, kOther, t, seed, t, t, seed + 1, 200 * (frames - 1));
    }
}
