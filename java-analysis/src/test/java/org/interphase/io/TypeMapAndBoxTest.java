package org.interphase.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Type maps (option text and LAMMPS data files) and box geometry against closed forms. */
class TypeMapAndBoxTest {

    static Path shared() {
        String p = System.getProperty("interphase.shared", System.getenv("INTERPHASE_SHARED"));
        if (p == null) p = Path.of(System.getProperty("interphase.root", "..")).resolve("../shared").toString();
        Path d = Path.of(p).resolve("data/Li6PS5Cl_conventional.data");
        assertTrue(Files.isRegularFile(d), "shared data file missing: " + d + " (set -Dinterphase.shared=/path/to/shared)");
        return d;
    }

    @Test
    void parsesTypeOptions() {
        assertEquals("1=Li,2=P,3=S,4=Cl", TypeMap.parse("Li,P,S,Cl").toString());
        assertEquals("1=Li,3=Cl", TypeMap.parse("1=Li, 3=Cl").toString());
        assertEquals(List.of("Li", "Cl"), TypeMap.parse("1=Li,2=Li,3=Cl").elements());
        assertThrows(InputException.class, () -> TypeMap.parse("Li,banana"));
        assertThrows(InputException.class, () -> TypeMap.parse("x=Li"));
    }

    @Test
    void readsLabelledMassesOfTheSharedArgyroditeDataFile() {
        TypeMap m = TypeMap.fromDataFile(shared());
        assertEquals("1=Li,2=P,3=S,4=Cl", m.toString());
    }

    @Test
    void dataFileWithoutLabelsIsRejected(@TempDir Path tmp) throws Exception {
        Path d = tmp.resolve("x.data");
        Files.writeString(d, "title\n\n2 atoms\n2 atom types\n\nMasses\n\n1 6.94\n2 35.45\n\nAtoms\n\n");
        InputException e = assertThrows(InputException.class, () -> TypeMap.fromDataFile(d));
        assertTrue(e.getMessage().contains("no element comment"), e.getMessage());
    }

    @Test
    void triclinicBoxGeometry() {
        Box b = Box.lammps(10, 8, 6, 2, 1, -1.5, new boolean[] {true, true, true});
        assertEquals(480.0, b.volume(), 1e-12);
        // width along c = lz; along b = V/|c x a|; along a = V/|b x c|
        double[] w = b.perpendicularWidths();
        assertEquals(6.0, w[2], 1e-12);
        double[] bxc = {8 * 6 - 0 * (-1.5), 0 * 1 - 2 * 6, 2 * (-1.5) - 8 * 1};
        assertEquals(480 / Math.sqrt(bxc[0] * bxc[0] + bxc[1] * bxc[1] + bxc[2] * bxc[2]), w[0], 1e-12);
        double[] s = new double[3];
        double[] x = new double[3];
        b.toCartesian(0.25, 0.5, 0.75, x, 0);
        b.toFractional(x[0], x[1], x[2], b.inverse(), s, 0);
        assertArrayEquals(new double[] {0.25, 0.5, 0.75}, s, 1e-14);
        double[] wrapped = b.wrap(new double[] {x[0] + 10 + 2 + 1, x[1] + 8 - 1.5, x[2] + 6});
        assertArrayEquals(x, wrapped, 1e-12);
    }

    @Test
    void extxyzCommentParsing() {
        Map<String, String> m = ExtXyzReader.parseComment("Lattice=\"1 0 0 0 2 0 0 0 3\" Properties=species:S:1:pos:R:3 Time=1.5 pbc=\"T T F\" flag");
        assertEquals("1 0 0 0 2 0 0 0 3", m.get("Lattice"));
        assertEquals("species:S:1:pos:R:3", m.get("Properties"));
        assertEquals("1.5", m.get("Time"));
        assertEquals("T T F", m.get("pbc"));
        assertEquals("T", m.get("flag"));
    }
}
