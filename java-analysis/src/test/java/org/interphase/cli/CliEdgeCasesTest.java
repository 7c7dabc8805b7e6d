package org.interphase.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.interphase.io.Messages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The CLI cases of issue 14, one test each, through the CLI's one error path ({@link Main#commandLine}): the exact
 * error line, the exit code, and what is (not) left on disk. Signals to real runs are in tests/mainjob/test_cli_edges.py.
 */
class CliEdgeCasesTest {
    @TempDir
    Path tmp;

    private Path cell;

    private record Run(int rc, String out, String err) {
        String errorLine() {
            String e = err.strip();
            assertEquals(1, e.lines().count(), "one error line expected: " + e);
            assertFalse(e.contains("Exception") || e.contains("java.") || e.contains("::"), "no Java or C++ names: " + e);
            return e;
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new Run(rc, out.toString(), err.toString());
    }

    private static void assertBadInput(Run r, String expectedLine) {
        assertEquals(expectedLine, r.errorLine());
        assertEquals(Main.EXIT_INPUT, r.rc(), "bad input exits with 2");
    }

    /** A small cell (280 atoms, no time) as the trajectory of the analyze runs. */
    @BeforeEach
    void smallCell() {
        cell = tmp.resolve("small.data");
        Run r = run("build-cell", "-o", cell.toString(), "--atoms", "10", "--cutoff", "6");
        assertEquals(0, r.rc(), r.err());
    }

    private String[] analyze(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("analyze", cell.toString(), "-o", out.toString(), "-q", "--seed", "3"));
        a.addAll(Arrays.asList(extra));
        return a.toArray(String[]::new);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // ---- raw exceptions where the docs promise <cause>: <fix>

    @Test
    void outputDirectoryIsAnExistingFile() throws IOException {
        Path afile = Files.writeString(tmp.resolve("afile"), "x");
        assertBadInput(run(analyze(afile)), "interphase: error: output directory " + afile + " is an existing file: choose another -o DIR");
        assertEquals("x", Files.readString(afile));
    }

    @Test
    void outputDirectoryUnderAFile() throws IOException {
        Path afile = Files.writeString(tmp.resolve("afile"), "x");
        assertBadInput(run(analyze(afile.resolve("sub"))), "interphase: error: cannot create output directory " + afile.resolve("sub")
                + ": " + afile + " is a file, not a directory: choose another -o DIR");
        assertBadInput(run("build-cell", "-o", afile.resolve("c.data").toString()), "interphase: error: cannot write "
                + afile.resolve("c.data") + ": " + afile + " is a file, not a directory: choose another -o");
    }

    @Test
    void forcedTextFormatOnAnHdf5File() throws Exception {
        Path h5 = Path.of(getClass().getResource("/fixtures/h5md/deflated.h5").toURI());
        assertBadInput(run("analyze", h5.toString(), "--format", "LAMMPS", "--types", "Li,P,S,Cl", "-o", tmp.resolve("o").toString(), "-q"),
                "interphase: error: " + h5 + " is an HDF5 file, not a LAMMPS text file: drop --format LAMMPS (the format is detected) "
                        + "or use --format H5MD");
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void textDumpWithBinaryBytes() throws IOException {
        Path d = tmp.resolve("bad.lammpstrj");
        Files.write(d, ("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\n"
                + "ITEM: ATOMS id type x y z\n1 1 0 0 ").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Files.write(d, new byte[] {(byte) 0xff, (byte) 0xfe, '\n'}, java.nio.file.StandardOpenOption.APPEND);
        assertBadInput(run("analyze", d.toString(), "--types", "Li", "-o", tmp.resolve("o").toString(), "-q"), "interphase: error: " + d
                + " contains bytes that are not UTF-8 text, so it is not a LAMMPS text dump: pass the dump LAMMPS wrote "
                + "(or drop --format to detect the format)");
    }

    @Test
    void h5mdWithZeroAtomsIsCalledThat() throws Exception {
        // fixture: java-analysis/src/test/python/make_zero_atom_h5md.py (jhdf cannot slice its empty datasets)
        Path h5 = Path.of(getClass().getResource("/fixtures/h5md/zero-atoms.h5").toURI());
        assertBadInput(run("analyze", h5.toString(), "--types", "Li,Cl", "-o", tmp.resolve("o").toString(), "-q"),
                "interphase: error: " + h5 + ": frame 0 (step 0) has zero atoms: nothing to analyse; dump a non-empty group");
    }

    @Test
    void zeroByteLatentModel() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.onnx"));
        assertBadInput(run(analyze(tmp.resolve("o"), "--latent", empty.toString())), "interphase: error: latent model " + empty
                + " is empty (0 bytes): pass an ONNX model exported by interphase-export, e.g. --latent models/li-p-s-cl-allegro.f64.onnx");
        Path junk = Files.writeString(tmp.resolve("junk.onnx"), "junk");
        String line = run(analyze(tmp.resolve("o"), "--latent", junk.toString())).errorLine();
        assertEquals("interphase: error: latent model junk.onnx is not a valid ONNX model (Protobuf parsing failed.): "
                + "pass an ONNX model exported by interphase-export", line);
    }

    @Test
    void buildCellWithAMissingModelIsBadInput() {
        assertBadInput(run("build-cell", "-o", tmp.resolve("c.data").toString(), "--model", "/nonexistent.onnx"),
                "interphase: error: model file /nonexistent.onnx does not exist: check the --model path or pass --cutoff R_MAX");
        assertFalse(Files.exists(tmp.resolve("c.data")));
    }

    @Test
    void internalErrorsExitWithOneAndNameNoClass() {
        assertEquals(Main.EXIT_INTERNAL, Main.exitCode(new NullPointerException("x is null")));
        assertEquals("internal error (x is null): please report it with the command line that caused it",
                Main.describe(new NullPointerException("x is null")));
        assertEquals("internal error (no details): please report it with the command line that caused it",
                Main.describe(new IllegalStateException()));
        assertEquals(Main.EXIT_INPUT, Main.exitCode(new java.nio.file.AccessDeniedException("/root/x")));
        assertEquals("/root/x: permission denied: check the path and its permissions",
                Main.describe(new java.nio.file.AccessDeniedException("/root/x")));
        assertEquals("No space left on device: free disk space or write elsewhere (-o)",
                Main.describe(new IOException("No space left on device")));
        assertEquals("a b", Messages.oneLine(" a\n\t b "));
    }

    // ---- odd options

    @Test
    void negativeRattle() {
        assertBadInput(run(analyze(tmp.resolve("o"), "--rattle", "-1")),
                "interphase: error: --rattle must be a standard deviation in 0..1 A, got -1.0 (default 0.15; 0 = perfect reference crystals)");
    }

    @Test
    void minClusterSizeZero() {
        assertBadInput(run(analyze(tmp.resolve("o"), "--min-cluster-size", "0", "--method", "hdbscan")),
                "interphase: error: --min-cluster-size must be >= 2, got 0: a cluster needs at least 2 atoms (default 25)");
    }

    @Test
    void kRangeOfOne() {
        assertBadInput(run(analyze(tmp.resolve("o"), "--k-range", "1:1")), "interphase: error: --k-range needs 2 <= MIN <= MAX, got 1:1: "
                + "choosing k compares at least 2 clusters; for one cluster give -k 1");
        Run one = run(analyze(tmp.resolve("o1"), "-k", "1", "--no-plots", "--no-atoms"));
        assertEquals(0, one.rc(), one.err());
        assertTrue(one.rc() == 0 && readReport(tmp.resolve("o1")).contains("k=1 (given)"));
    }

    @Test
    void unknownElementSymbol() throws IOException {
        assertBadInput(run(analyze(tmp.resolve("o"), "--types", "Li,P,S,Xx")), "interphase: error: --types entry 'Xx': Xx is not an element "
                + "of the periodic table: write element symbols, e.g. --types Li,P,S,Cl");
        Path data = Files.writeString(tmp.resolve("x.data"), "t\n\n1 atoms\n1 atom types\n\n0 5 xlo xhi\n0 5 ylo yhi\n0 5 zlo zhi\n\n"
                + "Masses\n\n1 6.94 # Xx\n\nAtoms # atomic\n\n1 1 0 0 0\n");
        assertBadInput(run(analyze(tmp.resolve("o"), "--data", data.toString())), "interphase: error: data file " + data
                + ": Masses line '1 6.94 # Xx' names Xx, which is not an element of the periodic table: fix the comment (e.g. '1 6.94 # Li') "
                + "or pass --types");
    }

    @Test
    void atomCountIsRoundedAndSaidSo() throws IOException {
        Path c = tmp.resolve("r.data");
        Run r = run("build-cell", "-o", c.toString(), "--atoms", "10", "--cutoff", "6");
        assertEquals(0, r.rc(), r.err());
        assertTrue(Files.readAllLines(c).contains("280 atoms"));
        assertTrue(r.out().contains("  --atoms 10 rounded to 280 atoms: the cell is made of whole unit cells and its box is at least "
                + "2*r_max + skin = 14.00 A wide"), r.out());
        Run exact = run("build-cell", "-o", tmp.resolve("e.data").toString(), "--atoms", "2048", "--cutoff", "6");
        assertEquals(0, exact.rc(), exact.err());
        assertFalse(exact.out().contains("rounded"), exact.out());
    }

    @Test
    void atomCountInScientificNotationAndOutOfRange() {
        Run r = run("build-cell", "-o", tmp.resolve("s.data").toString(), "--atoms", "2e3", "--cutoff", "6");
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().startsWith("wrote "), r.out());
        assertBadInput(run("build-cell", "-o", tmp.resolve("s.data").toString(), "--atoms", "1e9"),
                "interphase: error: Invalid value for option '--atoms': '1e9' must be a whole number from 1 to 100000000 (1e8): "
                        + "see 'interphase build-cell --help'");
        assertBadInput(run("build-cell", "-o", tmp.resolve("s.data").toString(), "--atoms", "2.5"),
                "interphase: error: Invalid value for option '--atoms': '2.5' must be a whole number from 1 to 100000000 (1e8): "
                        + "see 'interphase build-cell --help'");
    }

    // ---- cosmetic

    private static String readReport(Path out) {
        try {
            return Files.readString(out.resolve("report.txt"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void noTimeIsNotPrintedAsNan() throws IOException {
        Path out = tmp.resolve("o");
        Run r = run(analyze(out, "--no-plots"));
        assertEquals(0, r.rc(), r.err());
        String report = readReport(out);
        assertTrue(report.contains("  step        thickness   (the input has no time)"), report);
        for (String f : List.of("report.txt", "thickness.csv", "phase_fractions.csv", "phase_profile.csv", "labels.csv")) {
            assertFalse(Files.readString(out.resolve(f)).toLowerCase(java.util.Locale.ROOT).contains("nan"), f);
        }
        assertTrue(Files.readAllLines(out.resolve("thickness.csv")).get(1).startsWith("0,0,,"), "empty time field");
    }

    @Test
    void liPenetrationWithoutTimeIsNotNan() throws IOException {
        Path data = tmp.resolve("p.data");
        assertEquals(0, run("build-cell", "-o", data.toString(), "--cutoff", "6").rc());
        Run r = run("li-penetration", data.toString(), "--cell", data + ".properties", "--out", tmp.resolve("pen").toString());
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().contains("         0          -     0.000"), r.out());
        assertEquals("0,0,,0.000000,0.000000,0.000000,0,0.000000", Files.readAllLines(tmp.resolve("pen/li_penetration.csv")).get(1));
        assertFalse(r.out().toLowerCase(java.util.Locale.ROOT).contains("nan"), r.out());
    }

    @Test
    void latentReportNamesLatentFeatures() throws IOException {
        Path model = Path.of(System.getProperty("interphase.root", "..")).resolve("models/li-p-s-cl-allegro.f64.onnx");
        Path out = tmp.resolve("o");
        Run r = run(analyze(out, "--latent", model.toString(), "--no-plots", "--no-atoms", "--threads", "1"));
        assertEquals(0, r.rc(), r.err());
        String report = readReport(out);
        // the default model's node_latent has 64 features (models/README.md): 10 handcrafted + 64
        assertTrue(report.contains("q4 q6 + 64 latent features (74 features"), report);
        assertFalse(report.contains("SOAP"), report);
    }

    @Test
    void reducedOutputsRemoveTheStaleOnesAndSaySo() throws IOException {
        Path out = tmp.resolve("o");
        Run full = run(analyze(out));
        assertEquals(0, full.rc(), full.err());
        assertTrue(names(out).containsAll(List.of("labels.csv", "labels.extxyz", "pca_map.png", "phase_profile.svg")), names(out).toString());
        Files.writeString(out.resolve("notes.txt"), "mine");
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
        int rc;
        try {
            rc = cl.execute(analyze(out, "--no-atoms", "--no-plots"));
        } finally {
            System.setErr(old);
        }
        assertEquals(0, rc, err.toString());
        assertEquals(List.of("clusters.csv", "notes.txt", "phase_fractions.csv", "phase_profile.csv", "report.txt", "thickness.csv"), names(out));
        assertEquals("interphase: note: removed labels.extxyz, labels.csv, pca_map.png, pca_map.svg, phase_fractions.png, phase_fractions.svg, "
                + "phase_profile.png, phase_profile.svg of an earlier run from " + out + ": this run (--no-atoms --no-plots) did not write them",
                stderr.toString(java.nio.charset.StandardCharsets.UTF_8).strip());
    }

    // ---- interrupted runs: what a later run sweeps (the signals themselves: tests/mainjob/test_cli_edges.py)

    @Test
    void staleStagingOfDeadProcessesIsRemovedByTheNextRun() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("o"));
        long live = ProcessHandle.current().parent().orElseThrow().pid();
        Path dead = Files.createDirectories(out.resolve(".interphase-staging-999999999-1"));
        Files.writeString(dead.resolve("features.f32"), "x");
        Path legacy = Files.createDirectories(out.resolve(".interphase-staging-12345678901234567890"));
        Path alive = Files.createDirectories(out.resolve(".interphase-staging-" + live + "-2"));
        Run r = run(analyze(out, "--no-plots", "--no-atoms"));
        assertEquals(0, r.rc(), r.err());
        assertFalse(Files.exists(dead), "staging of a dead process removed");
        assertFalse(Files.exists(legacy), "staging named by an older version removed");
        assertTrue(Files.exists(alive), "staging of a running process kept");
        assertTrue(Files.exists(out.resolve("report.txt")));
    }

    @Test
    void staleTemporaryDataFileOfADeadProcessIsRemovedByTheNextWrite() throws IOException {
        Path old = Files.writeString(tmp.resolve(".c.data.999999999-77.tmp"), "partial");
        Path legacy = Files.writeString(tmp.resolve(".c.data8812345678901.tmp"), "partial");
        Path other = Files.writeString(tmp.resolve(".c.data5.999999999-77.tmp"), "another file's");
        Run r = run("build-cell", "-o", tmp.resolve("c.data").toString(), "--cutoff", "6");
        assertEquals(0, r.rc(), r.err());
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(other), "only the temporary files of the file being written are swept");
        assertFalse(Files.exists(legacy), "the name an older version gave it is swept too");
        assertTrue(Files.exists(tmp.resolve("c.data")));
    }
}
