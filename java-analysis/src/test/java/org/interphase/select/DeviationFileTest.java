package org.interphase.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.interphase.io.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DeePMD-kit model-deviation format: header, scientific numbers, optional per-atom columns, and every malformed case. */
class DeviationFileTest {
    @TempDir
    Path tmp;

    /** Header and rows as DeePMD-kit's pair style writes them ('#' + setw(11) name, setw(12) step, setw(18) scientific). */
    static final String HEADER = "#       step         max_devi_v         min_devi_v         avg_devi_v         max_devi_f         min_devi_f         avg_devi_f\n";

    private Path write(String text) throws IOException {
        Path p = tmp.resolve("model_devi.out");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void readsTheSevenColumnsAndPerAtomDeviations() throws IOException {
        Path p = write(HEADER
                + "           0       1.234500e-02       1.000000e-03       5.000000e-03       4.500000e-02       1.000000e-03       2.000000e-02       1.000000e-03       4.500000e-02       2.000000e-03\n"
                + "\n# a comment in the middle\n"
                + "          10       2.000000e-02       1.000000e-03       5.000000e-03       3.000000e-01       1.000000e-03       2.000000e-02       3.000000e-01       1.000000e-03       3.000000e-01\n");
        DeviationFile d = DeviationFile.read(p);
        assertEquals(2, d.rows().size());
        assertEquals(3, d.atoms());
        DeviationFile.Row r = d.rows().get(0);
        assertEquals(0, r.step());
        assertEquals(1.2345e-2, r.maxV());
        assertEquals(1e-3, r.minV());
        assertEquals(5e-3, r.avgV());
        assertEquals(4.5e-2, r.maxF());
        assertEquals(1e-3, r.minF());
        assertEquals(2e-2, r.avgF());
        assertEquals(1, r.mostUncertain(), "atom id 2 has the largest deviation");
        assertEquals(2, r.line());
        DeviationFile.Row r2 = d.rows().get(1);
        assertEquals(10, r2.step());
        assertEquals(0, r2.mostUncertain(), "ties go to the first atom");
        assertEquals(5, r2.line());
        Map<Long, double[]> e = d.perAtom(Set.of(10L));
        assertEquals(1, e.size());
        assertEquals(0.3, e.get(10L)[2]);
    }

    @Test
    void withoutPerAtomColumnsFloatStepsAndInfNan() throws IOException {
        Path p = write(HEADER + "1.000000e+02 0.1 0.1 0.1 0.2 0.1 0.15\n200 inf 0 0 nan 0 0\n300\t0.1\t0\t0\t-nan\t0\t0\n");
        DeviationFile d = DeviationFile.read(p);
        assertFalse(d.hasPerAtom());
        assertEquals(-1, d.rows().get(0).mostUncertain());
        assertEquals(100, d.rows().get(0).step());
        assertEquals(Double.POSITIVE_INFINITY, d.rows().get(1).maxV());
        assertTrue(Double.isNaN(d.rows().get(1).maxF()));
        assertTrue(Double.isNaN(d.rows().get(2).maxF()));
        assertTrue(d.perAtom(Set.of(100L)).isEmpty());
    }

    private void assertBad(String text, String... expect) throws IOException {
        Path p = write(text);
        InputException e = assertThrows(InputException.class, () -> DeviationFile.read(p));
        for (String x : expect) assertTrue(e.getMessage().contains(x), "'" + e.getMessage() + "' should mention '" + x + "'");
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void malformedFilesNameTheLine() throws IOException {
        assertBad(HEADER + "0 0.1 0.1 0.1 0.1 0.1 0.1\n10 0.1 0.1 0.1 0.1 0.1\n", "line 3", "has 6 columns");
        assertBad(HEADER + "0 0.1 0.1 0.1 abc 0.1 0.1\n", "line 2", "column 5 is 'abc', not a number");
        assertBad(HEADER + "0 0.1 0.1 0.1 0.1f 0.1 0.1\n", "line 2", "not a number");
        assertBad(HEADER + "x1 0.1 0.1 0.1 0.1 0.1 0.1\n", "line 2", "column 1 (step)");
        assertBad(HEADER + "1.5 0.1 0.1 0.1 0.1 0.1 0.1\n", "line 2", "not an integer");
        assertBad(HEADER + "0 0.1 0.1 0.1 -0.1 0.1 0.1\n", "line 2", "negative");
        assertBad(HEADER + "0 0.1 0.1 0.1 0.1 0.1 0.1 0.1 0.1\n10 0.1 0.1 0.1 0.1 0.1 0.1 0.1\n", "line 3", "1 per-atom deviations but line 2 has 2");
        assertBad(HEADER + "0 0.1 0.1 0.1 0.1 0.1 0.1\n0 0.1 0.1 0.1 0.1 0.1 0.1\n", "line 3", "repeats step 0 of line 2");
        assertBad(HEADER, "has no deviation rows");
        assertBad("", "has no deviation rows");
    }

    @Test
    void missingUnreadableOrBinaryFiles() throws IOException {
        InputException e = assertThrows(InputException.class, () -> DeviationFile.read(tmp.resolve("none.out")));
        assertTrue(e.getMessage().contains("does not exist: check the --devi path"), e.getMessage());
        e = assertThrows(InputException.class, () -> DeviationFile.read(tmp));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        Path bin = tmp.resolve("bin.out");
        Files.write(bin, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n'});
        e = assertThrows(InputException.class, () -> DeviationFile.read(bin));
        assertTrue(e.getMessage().contains("not a text file"), e.getMessage());
    }
}
