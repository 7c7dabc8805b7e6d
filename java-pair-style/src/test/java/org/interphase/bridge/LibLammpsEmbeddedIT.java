package org.interphase.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.interphase.testsupport.LibLammps;
import org.interphase.testsupport.Morse;
import org.interphase.testsupport.Repo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LAMMPS driven from Java: this test JVM loads the project's real liblammps.so, runs
 * {@code plugin load interphaseplugin.so} and {@code pair_style onnx} through LAMMPS's C library
 * API, so the shim must find this JVM (JNI_GetCreatedJavaVMs) and use it instead of creating
 * one (which HotSpot would refuse). The Morse ONNX model must then reproduce LAMMPS's own C++
 * {@code pair_style morse} with the same parameters, run in the same process: potential
 * energy, the six pressure components and every force, at step 0 and after 20 NVE steps.
 *
 * <p>Runs in its own forked JVM (surefire execution {@code embedded-liblammps} in the pom): the
 * MPI-enabled liblammps initialises MPI as a singleton in lammps_open_no_mpi, and MPI can be
 * initialised and finalised only once per process.
 */
class LibLammpsEmbeddedIT {
    static final String[] THERMO = {"pe", "press", "pxx", "pyy", "pzz", "pxy", "pxz", "pyz"};
    static final int STEPS = 20;

    @TempDir
    Path tmp;

    /** What one LAMMPS run produced. */
    record Snapshot(double[] thermo, double[] forces) {}

    /** Step 0 and step STEPS of one run, plus the LAMMPS log. */
    record Run(Snapshot start, Snapshot end, String log) {}

    @AfterAll
    static void finalizeMpi() throws Throwable {
        LibLammps.finalizeMpi();
    }

    static Path dataFile() {
        String s = System.getProperty("interphase.shared");
        if (s == null || s.isBlank()) {
            return fail("system property interphase.shared is not set: run 'bash scripts/test.sh' "
                    + "(it passes -Dinterphase.shared=$INTERPHASE_SHARED) or add -Dinterphase.shared=/path/to/shared");
        }
        Path p = Path.of(s, "data", "Li6PS5Cl_conventional.data");
        if (!Files.isRegularFile(p)) {
            return fail("reference cell " + p + " is missing: pass -Dinterphase.shared=<folder holding data/Li6PS5Cl_conventional.data>");
        }
        return p;
    }

    /** LAMMPS's own pair_style morse with the parameters of tests/models/morse_params.json (types 1..4 = Li P S Cl). */
    static List<String> nativeMorse(Morse m) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "pair_style morse %.17g", m.rc));
        for (int a = 0; a < 4; a++) {
            for (int b = a; b < 4; b++) {
                lines.add(String.format(Locale.ROOT, "pair_coeff %d %d %.17g %.17g %.17g %.17g",
                        a + 1, b + 1, m.d0[a][b], m.alpha[a][b], m.r0[a][b], m.rc));
            }
        }
        return lines;
    }

    Run run(String name, List<String> pairLines) throws Throwable {
        Path log = tmp.resolve(name + ".log");
        Snapshot start;
        Snapshot end;
        int natoms;
        try (LibLammps lmp = new LibLammps("-log", log.toString(), "-screen", "none", "-nocite")) {
            lmp.commands(
                    "units metal",
                    "atom_style atomic",
                    "boundary p p p",
                    "newton on",
                    "read_data " + dataFile(),
                    // a tilted, distorted cell: non-zero off-diagonal pressure and forces on every atom
                    "change_box all triclinic",
                    "change_box all xy final 0.6 xz final -0.4 yz final 0.5 remap units box",
                    "displace_atoms all random 0.12 0.12 0.12 4711 units box");
            for (String line : pairLines) {
                lmp.command(line);
            }
            lmp.commands(
                    "neighbor 1.0 bin",
                    "neigh_modify every 1 delay 0 check yes",
                    "velocity all create 600.0 12345 mom yes rot no dist gaussian loop geom",
                    "fix nve all nve",
                    "timestep 0.001",
                    "thermo_style custom step pe press pxx pyy pzz pxy pxz pyz",
                    "thermo 10",
                    "run 0");
            natoms = 52;
            start = snapshot(lmp, natoms);
            lmp.command("run " + STEPS);
            end = snapshot(lmp, natoms);
        }
        return new Run(start, end, Files.readString(log));
    }

    static Snapshot snapshot(LibLammps lmp, int natoms) throws Throwable {
        double[] t = new double[THERMO.length];
        for (int k = 0; k < t.length; k++) {
            t[k] = lmp.thermo(THERMO[k]);
        }
        return new Snapshot(t, lmp.gatherDoubles("f", 3, natoms));
    }

    @Test
    void pairOnnxInsideJavaDrivenLammpsMatchesNativeMorse() throws Throwable {
        Path plugin = LibLammps.pluginPath();
        Path model = Repo.model("morse_f64.onnx");
        Morse morse = new Morse(Repo.root().resolve("tests/models/morse_params.json"));

        Run onnx = run("onnx", List.of(
                "plugin load " + plugin,
                "pair_style onnx",
                "pair_coeff * * " + model + " Li P S Cl"));
        Run ref = run("morse", nativeMorse(morse));

        // the shim attached to this JVM (it could not have created a second one) and ran every step
        assertTrue(onnx.log().contains("Java bridge ready (JVM (JVM already running in this process)"),
                "the shim did not report attaching to the running JVM; log:\n" + onnx.log());
        assertTrue(onnx.log().contains("interphase-stats: ranks=1 calls=" + (STEPS + 2) + " "),
                "expected one compute per step (run 0 + run " + STEPS + ") in the stats line; log:\n" + onnx.log());

        onnx.log().lines().filter(l -> l.contains("pair_style onnx") || l.startsWith("interphase-stats"))
                .forEach(l -> System.out.println("[onnx log] " + l));
        compare("step 0", ref.start(), onnx.start());
        compare("step " + STEPS, ref.end(), onnx.end());
    }

    static void compare(String when, Snapshot ref, Snapshot got) {
        double pe = ref.thermo()[0];
        assertTrue(Math.abs(pe) > 1.0, when + ": reference energy " + pe + " eV is suspiciously small");
        assertEquals(pe, got.thermo()[0], 1e-9 * Math.abs(pe), when + ": potential energy (eV)");
        double pscale = 0;
        for (int k = 1; k < THERMO.length; k++) {
            pscale = Math.max(pscale, Math.abs(ref.thermo()[k]));
        }
        assertTrue(pscale > 100, when + ": reference pressure scale " + pscale + " bar is suspiciously small");
        for (int k = 1; k < THERMO.length; k++) {
            assertEquals(ref.thermo()[k], got.thermo()[k], 1e-8 * pscale, when + ": " + THERMO[k] + " (bar)");
        }
        double fscale = 0;
        double worst = 0;
        for (int k = 0; k < ref.forces().length; k++) {
            fscale = Math.max(fscale, Math.abs(ref.forces()[k]));
            worst = Math.max(worst, Math.abs(ref.forces()[k] - got.forces()[k]));
        }
        assertTrue(fscale > 0.1, when + ": reference forces are suspiciously small (max " + fscale + " eV/A)");
        System.out.printf(Locale.ROOT, "%s: pe morse %.12f onnx %.12f eV; press morse %.6f onnx %.6f bar; max |df| %.3g of max |f| %.3g eV/A%n",
                when, pe, got.thermo()[0], ref.thermo()[1], got.thermo()[1], worst, fscale);
        assertTrue(worst <= 1e-9 * fscale, when + ": max |f_onnx - f_morse| = " + worst + " eV/A (max |f| " + fscale + ")");
    }
}
