package org.interphase.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** End-to-end runs of {@code interphase build-cell}, including every bad-input case (one line, exit != 0). */
class BuildCellCommandTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] full = new String[args.length + 1];
        full[0] = "build-cell";
        System.arraycopy(args, 0, full, 1, args.length);
        int code = cl.execute(full);
        return new Result(code, out.toString(), err.toString());
    }

    static void assertOneLineError(Result r, String... fragments) {
        assertEquals(Main.EXIT_INPUT, r.code(), "exit code of bad input: " + r.err());
        String err = r.err().strip();
        assertFalse(err.isEmpty(), "no error message");
        assertEquals(1, err.lines().count(), "error must be one line: " + err);
        assertTrue(err.startsWith("interphase: error: "), err);
        for (String f : fragments) assertTrue(err.contains(f), "'" + f + "' not in: " + err);
        assertFalse(err.contains("Exception"), err);
    }

    @Test
    void writesTheDemoCellAndItsGeometry() throws Exception {
        Path data = dir.resolve("cell.data");
        Result r = run("-o", data.toString(), "--cutoff", "5.0");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(data);
        assertTrue(lines.contains("2048 atoms"));
        assertTrue(lines.contains("4 atom types"));
        assertTrue(lines.contains("1 6.94 # Li"));
        assertTrue(lines.contains("4 35.45 # Cl"));
        assertTrue(lines.contains("Atom Type Labels"));
        int atomsAt = lines.indexOf("Atoms # atomic");
        assertEquals(2048, lines.subList(atomsAt + 2, lines.size()).stream().filter(s -> !s.isBlank()).count());
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(dir.resolve("cell.data.properties"))) {
            p.load(in);
        }
        assertEquals("2048", p.getProperty("atoms"));
        assertEquals("1:1008", p.getProperty("metal_ids"));
        assertEquals("6", p.getProperty("li_cells_x"));
        assertTrue(r.out().contains("lateral strain -2.38%"), r.out());
    }

    @Test
    void readsRmaxFromTheModelMetadata() throws Exception {
        Path model = Path.of(getClass().getResource("/org/interphase/structure/metadata-only.onnx").toURI());
        // r_max 5.5 + skin 2: 13 A laterally; nx = 1 (10.28 A) is shorter: written, with a note naming the numbers
        Result small = run("-o", dir.resolve("a.data").toString(), "--model", model.toString(), "--nx", "1", "--ny", "1");
        assertEquals(0, small.code(), small.err());
        assertTrue(small.out().contains("2*5.50 + 2.00 = 13.00 A"), small.out());
        assertTrue(small.out().contains("metadata of metadata-only.onnx"), small.out());
        Result ok = run("-o", dir.resolve("b.data").toString(), "--model", model.toString());
        assertEquals(0, ok.code());
        assertFalse(ok.out().contains("note:"), ok.out());
    }

    /** Issue 14: a 1x1 lateral cell (shorter than 2 r_max + skin) is written, since pair_style onnx handles it exactly. */
    @Test
    void oneByOneLateralCellIsWrittenWithANote() throws Exception {
        Path data = dir.resolve("c.data");
        Result r = run("-o", data.toString(), "--cutoff", "6", "--nx", "1", "--ny", "1", "--electrolyte", "2", "--metal", "4");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readAllLines(data).contains("176 atoms"), r.out());
        assertTrue(r.out().contains("note: lateral box 10.28 x 10.28 A is smaller than 2*r_max + skin = 2*6.00 + 2.00 = 14.00 A"), r.out());
        assertTrue(r.out().contains("pair_style onnx handles exactly"), r.out());
        assertTrue(Files.readString(dir.resolve("c.data.properties")).contains("cutoff_check = min box length 10.28 < 2*6.00 + 2.00"));
    }

    @Test
    void modelWithoutMetadataOrMissing() throws Exception {
        Path junk = dir.resolve("junk.onnx");
        Files.writeString(junk, "this is not a model\n");
        assertOneLineError(run("-o", dir.resolve("d.data").toString(), "--model", junk.toString()), "--cutoff");
        assertOneLineError(run("-o", dir.resolve("d.data").toString(), "--model", dir.resolve("none.onnx").toString()),
                "does not exist");
    }

    @Test
    void nonsenseThickness() {
        String o = dir.resolve("e.data").toString();
        assertOneLineError(run("-o", o, "--electrolyte", "-3"), "--electrolyte", "> 0");
        assertOneLineError(run("-o", o, "--electrolyte", "abc"), "--electrolyte 'abc' is not a thickness", "50A");
        assertOneLineError(run("-o", o, "--metal", "0"), "--metal");
        assertOneLineError(run("-o", o, "--electrolyte", "2.5"), "whole number");
        assertOneLineError(run("-o", o, "--metal", "1A"), "thinner than one Li cell");
        assertOneLineError(run("-o", o, "--electrolyte", "NaN"), "--electrolyte");
        assertOneLineError(run("-o", o, "--metal", "1000000"), "limit");
        assertOneLineError(run("-o", o, "--atoms", "5000", "--metal", "4"), "--atoms");
        assertOneLineError(run("-o", o, "--gap", "0"), "--gap");
        assertOneLineError(run("-o", o, "--nx", "0"), "--nx");
        assertOneLineError(run("-o", o, "--nx", "two"), "two");
    }

    @Test
    void unwritableOutput() throws Exception {
        assertOneLineError(run("-o", dir.resolve("no/such/dir/cell.data").toString()), "cannot write", "does not exist");
        assertOneLineError(run("-o", dir.toString()), "cannot write", "is a directory");
        assertOneLineError(run("-o", "/proc/interphase-cell.data"), "cannot write");
    }

    @Test
    void atomTargetChoosesTheSize() throws Exception {
        Path data = dir.resolve("f.data");
        Result r = run("-o", data.toString(), "--atoms", "20000", "--cutoff", "5");
        assertEquals(0, r.code(), r.err());
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(dir.resolve("f.data.properties"))) {
            p.load(in);
        }
        int n = Integer.parseInt(p.getProperty("atoms"));
        assertTrue(Math.abs(n - 20000) < 1000, "got " + n);
    }
}
