package org.interphase.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.interphase.io.InputException;
import org.interphase.io.Messages;
import org.interphase.structure.Argyrodite;
import org.interphase.structure.CellWriter;
import org.interphase.structure.CrystalCell;
import org.interphase.structure.CubicCellReader;
import org.interphase.structure.InterfaceBuilder;
import org.interphase.structure.InterfaceCell;
import org.interphase.structure.InterfaceGeometry;
import org.interphase.structure.InterfaceSpec;
import org.interphase.structure.ModelMetadata;
import org.interphase.structure.Thickness;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code interphase build-cell}: writes a periodic Li | Li6PS5Cl | Li cell as a LAMMPS data file plus a
 * {@code .properties} side file with the slab geometry. See docs/main-job.md.
 */
@Command(name = "build-cell", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build a periodic Li | Li6PS5Cl | Li symmetric cell (two interfaces) as a LAMMPS data file.",
                "Li(001) || Li6PS5Cl(001); the Li slab takes the lateral strain (3 Li cells per Li6PS5Cl cell: -2.4%%).",
                "Default size: the demo cell (2 x 2 lateral, 5 electrolyte cells, 14 Li cells: 2048 atoms)."})
public final class BuildCellCommand implements Callable<Integer> {
    /** Default r_max (Angstrom) when neither --cutoff nor --model is given. */
    static final double DEFAULT_CUTOFF = 6.0;

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "LAMMPS data file to write (default: ${DEFAULT-VALUE}); "
            + "the geometry goes to FILE.properties")
    Path output = Path.of("cell.data");

    @Option(names = "--nx", paramLabel = "N", description = "Li6PS5Cl cells along x (default 2, or chosen by --atoms)")
    Integer nx;

    @Option(names = "--ny", paramLabel = "N", description = "Li6PS5Cl cells along y (default 2, or chosen by --atoms)")
    Integer ny;

    @Option(names = "--electrolyte", paramLabel = "T", description = "electrolyte thickness: Li6PS5Cl cells (5) or Angstrom (50A); default 5")
    String electrolyte;

    @Option(names = "--metal", paramLabel = "T", description = "Li thickness: bcc cells of 2 planes (14) or Angstrom (50A); default 14")
    String metal;

    @Option(names = "--atoms", paramLabel = "N", converter = AtomCount.class,
            description = "target atom count (about 2000 to 1000000, at most 1e8; 1e6 is accepted): chooses nx = ny and the thicknesses; "
                    + "the cell has whole unit cells, and the count written is reported")
    Long atoms;

    @Option(names = "--aspect", paramLabel = "X", description = "with --atoms: stack height / lateral length (default: ${DEFAULT-VALUE})")
    double aspect = 3.0;

    @Option(names = "--gap", paramLabel = "A", description = "distance between the outermost atomic planes of Li and electrolyte (default: ${DEFAULT-VALUE} A)")
    double gap = InterfaceSpec.DEFAULT_GAP;

    @Option(names = "--cut", paramLabel = "Z", description = "fractional z where the Li6PS5Cl slab starts (default 0.1828, between the S(16e) and S(4c) planes: no PS4 group is cut)")
    double cut = InterfaceSpec.DEFAULT_CUT;

    @Option(names = "--a-li", paramLabel = "A", description = "bcc Li lattice constant (default: ${DEFAULT-VALUE} A)")
    double aLi = InterfaceSpec.LI_BCC_A;

    @Option(names = "--lpsc", paramLabel = "FILE", description = "cubic Li6PS5Cl conventional cell (LAMMPS data, labelled Masses); "
            + "default: the ordered F-43m cell, a = 10.279498 A")
    Path lpsc;

    @Option(names = "--cutoff", paramLabel = "R", description = "model cutoff r_max in A for the size check (default: from --model, else 6.0)")
    Double cutoff;

    @Option(names = "--model", paramLabel = "FILE", description = "ONNX model: read r_max from its interphase.r_max metadata")
    Path model;

    @Option(names = "--skin", paramLabel = "A", description = "LAMMPS neighbor skin used in the size check (default: ${DEFAULT-VALUE} A)")
    double skin = 2.0;

    @Option(names = "--no-type-labels", description = "omit the 'Atom Type Labels' section (for LAMMPS older than 15Sep2022)")
    boolean noTypeLabels;

    /** Standalone entry point (the {@code interphase} launcher registers this command as a subcommand). */
    public static void main(String[] args) {
        System.exit(Main.configure(new picocli.CommandLine(new BuildCellCommand())).execute(args));
    }

    /**
     * Builds and writes the cell. Failures propagate to the CLI's one error path ({@link Main#describe}):
     * {@link InputException} for bad input (exit 2), {@link IOException} for files (exit 2).
     */
    @Override
    public Integer call() throws IOException {
        run(spec.commandLine().getOut(), spec.commandLine().getErr());
        return 0;
    }

    /** {@code --atoms}: a whole number, also written as 1e6 or 2.5e5. */
    static final class AtomCount implements picocli.CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            double v;
            try {
                v = Double.parseDouble(text.trim().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + text + "' is not an atom count (write e.g. 20000 or 2e4)");
            }
            if (!(v >= 1 && v <= InterfaceBuilder.MAX_ATOMS) || v != Math.rint(v)) {
                throw new picocli.CommandLine.TypeConversionException("'" + text + "' must be a whole number from 1 to "
                        + InterfaceBuilder.MAX_ATOMS + " (1e8)");
            }
            return (long) v;
        }
    }

    /** Bytes of memory per atom while building (positions, types, the builder's arrays) with headroom. */
    static final long BYTES_PER_ATOM_IN_MEMORY = 48;

    /** Free space to leave on the disk after writing, MB (INTERPHASE_MIN_FREE_MB, default 100). */
    static long minFreeMb() {
        String v = System.getenv("INTERPHASE_MIN_FREE_MB");
        if (v == null || v.isBlank()) return 100;
        try {
            long mb = Long.parseLong(v.trim());
            if (mb < 0) throw new NumberFormatException();
            return mb;
        } catch (NumberFormatException e) {
            throw new InputException("INTERPHASE_MIN_FREE_MB='" + v + "' is not a number of megabytes: unset it or give e.g. 100");
        }
    }

    /** Upper estimate of the data file's size: one line per atom ("id type x y z", 8 decimals) plus the header. */
    static long estimatedBytes(long atoms) {
        int idDigits = Long.toString(atoms).length();
        return 4096 + atoms * (idDigits + 1 + 1 + 3 * (1 + 5 + 9) + 1);
    }

    /** Refuses a cell that would not fit into the JVM's memory or onto the disk, before anything is built. */
    private void checkResources(long natoms, PrintWriter err) throws IOException {
        long mem = natoms * BYTES_PER_ATOM_IN_MEMORY;
        long max = Runtime.getRuntime().maxMemory();
        if (mem > max) {
            throw new InputException(String.format(Locale.ROOT, "a cell of %d atoms needs about %.1f GB of memory and the JVM may use %.1f GB: "
                    + "give it more (INTERPHASE_JAVA_OPTS=-Xmx%dg) or build fewer atoms", natoms, mem / 1e9, max / 1e9, (long) Math.ceil(mem / 1e9) + 1));
        }
        long bytes = estimatedBytes(natoms) + 4096;
        Path dir = output.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) return; // CellWriter names the missing directory
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new IOException("cannot write " + output + ": " + Messages.ioCause(e) + " in " + dir + ": choose another -o");
        }
        long reserve = minFreeMb() << 20;
        if (bytes + reserve > free) {
            throw new InputException(String.format(Locale.ROOT, "cannot write %s: %d atoms need about %s and %s are free in %s "
                    + "(keeping %d MB free, INTERPHASE_MIN_FREE_MB): free disk space, write elsewhere with -o, or build fewer atoms",
                    output, natoms, size(bytes), size(free), dir, reserve >> 20));
        }
        if (bytes > (200L << 20)) {
            err.printf(Locale.ROOT, "interphase: writing %s: %d atoms, about %s (%s free)%n", output, natoms, size(bytes), size(free));
            err.flush();
        }
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        return String.format(Locale.ROOT, "%d MB", Math.max(1, (bytes + (1 << 19)) >> 20));
    }

    private void run(PrintWriter out, PrintWriter err) throws IOException {
        if (atoms != null && (electrolyte != null || metal != null)) {
            throw new InputException("--atoms chooses the thicknesses itself: drop --electrolyte/--metal or drop --atoms");
        }
        if (!(skin >= 0 && skin < 20)) throw new InputException("--skin must be in [0, 20) A, got " + skin);
        double rMax;
        String rSource;
        if (cutoff != null) {
            if (!(cutoff > 0 && cutoff < 50)) throw new InputException("--cutoff must be in (0, 50) A, got " + cutoff);
            rMax = cutoff;
            rSource = "--cutoff";
        } else if (model != null) {
            rMax = ModelMetadata.rMax(model);
            rSource = "the metadata of " + model.getFileName();
        } else {
            rMax = DEFAULT_CUTOFF;
            rSource = "the default; pass --model or --cutoff";
        }
        CrystalCell e = lpsc == null ? Argyrodite.conventional() : CubicCellReader.read(lpsc);
        checkElectrolyte(e);
        InterfaceSpec s;
        if (atoms != null) {
            InterfaceBuilder.Plan p = InterfaceBuilder.planForAtoms(atoms, nx == null ? 0 : nx, ny == null ? 0 : ny,
                    2 * rMax + skin, aspect, e, aLi);
            s = new InterfaceSpec(e, aLi, p.nx(), p.ny(), Thickness.cells(p.electrolyteCells()), Thickness.cells(p.metalCells()), gap, cut);
        } else {
            s = new InterfaceSpec(e, aLi, nx == null ? 2 : nx, ny == null ? 2 : ny,
                    Thickness.parse(electrolyte == null ? "5" : electrolyte, "--electrolyte"),
                    Thickness.parse(metal == null ? "14" : metal, "--metal"), gap, cut);
        }
        long natoms = InterfaceBuilder.atomCount(s);
        if (natoms > InterfaceBuilder.MAX_ATOMS) {
            throw new InputException(String.format(Locale.ROOT, "the requested cell has %d atoms, more than the limit of %d: "
                    + "reduce --nx/--ny or the thicknesses", natoms, InterfaceBuilder.MAX_ATOMS));
        }
        checkResources(natoms, err);
        InterfaceCell cell = InterfaceBuilder.build(s);
        InterfaceGeometry g = cell.geometry();
        String note = InterfaceBuilder.cutoffNote(g, rMax, skin, rSource);
        String title = String.format(Locale.ROOT,
                "Li | Li6PS5Cl | Li, Li(001)||LPSC(001), %dx%d LPSC cells on %dx%d Li cells (Li strain %+.2f%%/%+.2f%%), "
                        + "%d LPSC + %d Li cells thick, gap %.2f A; interphase build-cell",
                g.nx(), g.ny(), g.liCellsX(), g.liCellsY(), 100 * g.metalStrainX(), 100 * g.metalStrainY(),
                g.electrolyteCells(), g.metalCells(), g.gap());
        CellWriter.writeData(output, cell, title, !noTypeLabels);
        Path props = propertiesPath(output);
        CellWriter.writeProperties(props, cell, output.getFileName().toString(),
                String.format(Locale.ROOT, "min box length %.2f %s 2*%.2f + %.2f (r_max from %s)",
                        Math.min(g.minLateral(), g.lz()), note == null ? ">=" : "<", rMax, skin, rSource));
        int[] c = cell.typeCounts();
        out.printf(Locale.ROOT, "wrote %s: %d atoms (Li %d, P %d, S %d, Cl %d), box %.3f x %.3f x %.3f A%n", output, cell.size(),
                c[1], c[2], c[3], c[4], g.lx(), g.ly(), g.lz());
        if (atoms != null && cell.size() != atoms) {
            out.printf(Locale.ROOT, "  --atoms %d rounded to %d atoms: the cell is made of whole unit cells%s%n", atoms, cell.size(),
                    cell.size() > 2 * atoms
                            ? String.format(Locale.ROOT, " and its box is at least 2*r_max + skin = %.2f A wide", 2 * rMax + skin) : "");
        }
        if (note != null) out.printf("  note: %s%n", note);
        out.printf(Locale.ROOT, "  metal: %d Li atoms (ids 1-%d), %dx%dx%d bcc cells, z %.2f-%.2f A, lateral strain %+.2f%% x %+.2f%%%n",
                g.metalAtoms(), g.metalAtoms(), g.liCellsX(), g.liCellsY(), g.metalCells(), g.metalZlo(), g.metalZhi(),
                100 * g.metalStrainX(), 100 * g.metalStrainY());
        out.printf(Locale.ROOT, "  electrolyte: %d atoms, %dx%dx%d Li6PS5Cl cells (a = %.4f A, unstrained), z %.2f-%.2f A%n",
                g.electrolyteAtoms(), g.nx(), g.ny(), g.electrolyteCells(), e.a(), g.electrolyteZlo(), g.electrolyteZhi());
        out.printf(Locale.ROOT, "  interfaces at z = %.2f A and z = 0 (periodic); gap %.2f A; r_max %.2f A from %s%n",
                g.upperInterfaceZ(), g.gap(), rMax, rSource);
        out.printf("  geometry: %s%n", props);
        out.flush();
    }

    /** The side file of a data file: FILE.properties. */
    static Path propertiesPath(Path data) {
        return data.resolveSibling(data.getFileName() + ".properties");
    }

    private static void checkElectrolyte(CrystalCell e) {
        for (int i = 0; i < e.size(); i++) {
            String el = e.element(i);
            if (!(el.equals("Li") || el.equals("P") || el.equals("S") || el.equals("Cl"))) {
                throw new InputException("--lpsc cell contains element " + el + "; only Li P S Cl are supported");
            }
        }
    }
}
