package org.interphase.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

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
                "Li(001) || Li6PS5Cl(001); the Li slab takes the lateral strain (3 Li cells per Li6PS5Cl cell: -2.4%).",
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

    @Option(names = "--atoms", paramLabel = "N", description = "target atom count (about 2000 to 1000000): chooses nx = ny and the thicknesses")
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
        System.exit(execute(args));
    }

    /** Runs the command with one-line messages for option parsing errors; returns the exit code. */
    public static int execute(String... args) {
        picocli.CommandLine cl = new picocli.CommandLine(new BuildCellCommand());
        cl.setParameterExceptionHandler((ex, a) -> {
            cl.getErr().println("interphase build-cell: " + ex.getMessage() + " (see interphase build-cell --help)");
            cl.getErr().flush();
            return 2;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        try {
            run(out);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("interphase build-cell: " + e.getMessage());
            err.flush();
            return 2;
        } catch (IOException e) {
            err.println("interphase build-cell: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private void run(PrintWriter out) throws IOException {
        if (atoms != null && (electrolyte != null || metal != null)) {
            throw new IllegalArgumentException("--atoms chooses the thicknesses itself: drop --electrolyte/--metal or drop --atoms");
        }
        if (!(skin >= 0 && skin < 20)) throw new IllegalArgumentException("--skin must be in [0, 20) A, got " + skin);
        double rMax;
        String rSource;
        if (cutoff != null) {
            if (!(cutoff > 0 && cutoff < 50)) throw new IllegalArgumentException("--cutoff must be in (0, 50) A, got " + cutoff);
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
        InterfaceCell cell = InterfaceBuilder.build(s);
        InterfaceGeometry g = cell.geometry();
        InterfaceBuilder.checkCutoff(g, rMax, skin, rSource);
        String title = String.format(Locale.ROOT,
                "Li | Li6PS5Cl | Li, Li(001)||LPSC(001), %dx%d LPSC cells on %dx%d Li cells (Li strain %+.2f%%/%+.2f%%), "
                        + "%d LPSC + %d Li cells thick, gap %.2f A; interphase build-cell",
                g.nx(), g.ny(), g.liCellsX(), g.liCellsY(), 100 * g.metalStrainX(), 100 * g.metalStrainY(),
                g.electrolyteCells(), g.metalCells(), g.gap());
        CellWriter.writeData(output, cell, title, !noTypeLabels);
        Path props = propertiesPath(output);
        CellWriter.writeProperties(props, cell, output.getFileName().toString(),
                String.format(Locale.ROOT, "min box length %.2f >= 2*%.2f + %.2f (r_max from %s)",
                        Math.min(g.minLateral(), g.lz()), rMax, skin, rSource));
        int[] c = cell.typeCounts();
        out.printf(Locale.ROOT, "wrote %s: %d atoms (Li %d, P %d, S %d, Cl %d), box %.3f x %.3f x %.3f A%n", output, cell.size(),
                c[1], c[2], c[3], c[4], g.lx(), g.ly(), g.lz());
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
                throw new IllegalArgumentException("--lpsc cell contains element " + el + "; only Li P S Cl are supported");
            }
        }
    }
}
