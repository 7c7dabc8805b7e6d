package org.interphase.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.interphase.testutil.Lammps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every bad input: one-line error on stderr, exit code != 0, no complete-looking output. */
class BadInputTest {
    @TempDir
    Path tmp;

    private record Run(int rc, String err) {
    }

    private Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int rc = cl.execute(args);
        return new Run(rc, err.toString());
    }

    private void assertFails(String expect, String... args) throws IOException {
        Path out = tmp.resolve("out");
        List<String> a = new ArrayList<>(Arrays.asList(args));
        a.addAll(List.of("-o", out.toString(), "-q"));
        Run r = run(a.toArray(String[]::new));
        assertNotEquals(0, r.rc(), "exit code for " + a);
        String e = r.err().strip();
        assertFalse(e.contains("\n"), "error must be one line: " + e);
        assertTrue(e.startsWith("interphase: error: "), e);
        assertTrue(e.contains(expect), "'" + e + "' should mention '" + expect + "'");
        assertFalse(e.contains("Exception"), "no exception names for users: " + e);
        if (Files.exists(out)) {
            try (Stream<Path> s = Files.list(out)) {
                assertEquals(List.of(), s.toList(), "no output may be left after a failure");
            }
        }
    }

    private Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static String xyz(double l, int n) {
        StringBuilder sb = new StringBuilder();
        sb.append(n).append('\n').append("Lattice=\"").append(l).append(" 0 0 0 ").append(l).append(" 0 0 0 ").append(l)
                .append("\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n");
        for (int i = 0; i < n; i++) sb.append(i % 2 == 0 ? "Li " : "Cl ").append(0.37 * i % l).append(' ').append(0.71 * i % l).append(' ').append(1.3 * i % l).append('\n');
        return sb.toString();
    }

    @Test
    void notHdf5() throws IOException {
        Path p = write("fake.h5", "this is not an HDF5 file\n");
        assertFails("not an HDF5 file", "analyze", p.toString(), "--types", "Li,Cl");
        Path bin = tmp.resolve("garbage.bin");
        Files.write(bin, new byte[] {1, 2, 3, 4, 5, 0, 0, 7});
        assertFails("is not HDF5/H5MD", "analyze", bin.toString(), "--types", "Li,Cl");
    }

    @Test
    void hdf5SignatureButGarbage() throws IOException {
        byte[] b = new byte[4096];
        byte[] sig = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
        System.arraycopy(sig, 0, b, 0, 8);
        Path p = tmp.resolve("bad.h5");
        Files.write(p, b);
        assertFails("HDF5", "analyze", p.toString(), "--types", "Li,Cl");
    }

    @Test
    void truncatedTextAndXyz() throws IOException {
        Path d = write("t.lammpstrj", "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\nITEM: ATOMS id type x y z\n1 1 0 0 0\n");
        assertFails("truncated", "analyze", d.toString(), "--types", "Li");
        String full = xyz(12, 20);
        Path x = write("t.extxyz", full.substring(0, full.length() / 2));
        assertFails("truncated", "analyze", x.toString());
    }

    @Test
    void failureInLaterFrameLeavesNoOutput() throws IOException {
        String good = xyz(12, 20);
        Path x = write("late.extxyz", good + good + good.substring(0, good.length() - 30));
        assertFails("truncated", "analyze", x.toString());
    }

    @Test
    void missingTypeInMap() throws IOException {
        Path d = write("m.lammpstrj", "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\nITEM: ATOMS id type x y z\n1 1 0 0 0\n2 3 1 1 1\n");
        assertFails("atom type 3 is missing", "analyze", d.toString(), "--types", "Li,Cl");
        assertFails("no type-to-element map", "analyze", d.toString());
    }

    @Test
    void zeroAtomFrame() throws IOException {
        Path d = write("z.lammpstrj", "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n0\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\nITEM: ATOMS id type x y z\n");
        assertFails("zero atoms", "analyze", d.toString(), "--types", "Li");
        Path x = write("z.extxyz", "0\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3\n");
        assertFails("zero atoms", "analyze", x.toString());
    }

    @Test
    void cutoffLargerThanHalfTheBox() throws IOException {
        Path x = write("small.extxyz", xyz(6.0, 12));
        assertFails("larger than half the box width", "analyze", x.toString());
    }

    @Test
    void latentModelMissingOrWithoutLatentOutput() throws IOException {
        Path x = write("ok.extxyz", xyz(12.0, 40));
        Path root = Path.of(System.getProperty("interphase.root", ".."));
        assertFails("is not a readable file", "analyze", x.toString(), "--latent", tmp.resolve("none.onnx").toString());
        assertFails("has no node_latent output", "analyze", x.toString(), "--latent",
                root.resolve("tests/models/morse_f64.onnx").toString());
        assertFails("is not a valid ONNX model", "analyze", x.toString(), "--latent", write("junk.onnx", "junk").toString());
    }

    @Test
    void unknownSubcommandAndOptions() throws IOException {
        assertFails("Unmatched argument", "frobnicate");
        Path x = write("ok.extxyz", xyz(12, 20));
        assertFails("Unknown option", "analyze", x.toString(), "--bogus");
        assertFails("--k-range", "analyze", x.toString(), "--k-range", "5");
        assertFails("Invalid value", "analyze", x.toString(), "--method", "spectral");
        assertFails("does not exist", "analyze", tmp.resolve("nope.h5").toString(), "--types", "Li");
        assertFails("Masses", "analyze", x.toString(), "--data", write("bad.data", "x\n\n2 atoms\n").toString());
    }

    @Test
    void h5mdFromLammpsWithoutSpeciesOrPosition() throws Exception {
        Path d = tmp.resolve("lmp");
        Files.createDirectories(d);
        Lammps.run(d, """
                units metal
                atom_style atomic
                lattice sc 2.6
                region box block 0 4 0 4 0 4
                create_box 2 box
                create_atoms 1 box
                mass * 10.0
                pair_style zero 3.0
                pair_coeff * *
                dump a all h5md 1 nospecies.h5 position
                dump b all h5md 1 nopos.h5 species
                run 1
                """);
        assertFails("species is missing", "analyze", d.resolve("nospecies.h5").toString(), "--types", "Li,Cl");
        assertFails("position is missing", "analyze", d.resolve("nopos.h5").toString(), "--types", "Li,Cl");
    }
}
