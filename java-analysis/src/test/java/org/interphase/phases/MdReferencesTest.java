package org.interphase.phases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.interphase.io.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parts of {@link MdReferences} that need no LAMMPS (the LAMMPS runs are tested in tests/mainjob). */
class MdReferencesTest {

    @Test
    void protocolParsesAndCountsSteps() {
        MdReferences.Protocol p = MdReferences.Protocol.parse("0.5:0.5:5");
        assertEquals(MdReferences.Protocol.DEFAULT, p);
        assertEquals(100, p.every());
        assertEquals(500, MdReferences.Protocol.steps(p.equilibrationPs()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.5:0.5", "a:b:c", "-1:0.5:5", "0.5:0:5", "0.5:0.5:0", "0.1:0.002:5", "1:2:3:4"})
    void nonsenseProtocolsAreOneLineErrors(String text) {
        InputException e = assertThrows(InputException.class, () -> MdReferences.Protocol.parse(text));
        assertTrue(e.getMessage().startsWith("--reference-md"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    /** Every reference crystal becomes a LAMMPS data file with its atoms, types in order and, for Li3P, the hexagonal tilt. */
    @Test
    void dataFilesHoldTheIdealSupercell() {
        for (ReferenceCrystal c : ReferenceCrystals.all()) {
            ReferenceCrystal.Supercell sc = c.supercell(11.0, 0.0, 1);
            String data = MdReferences.dataFile(sc);
            List<String> lines = Arrays.asList(data.split("\n"));
            assertTrue(lines.contains(sc.frame().size() + " atoms"), c.phase());
            long distinct = Arrays.stream(sc.frame().elements()).distinct().count();
            assertTrue(lines.contains(distinct + " atom types"), c.phase());
            int atoms = lines.indexOf("Atoms # atomic");
            assertEquals(sc.frame().size(), lines.size() - atoms - 2, c.phase());
            boolean tilted = lines.stream().anyMatch(l -> l.endsWith("xy xz yz"));
            assertEquals(!sc.frame().box().isOrthogonal(), tilted, c.phase());
            // the first atom line is atom 1 at the first supercell position
            String[] first = lines.get(atoms + 2).trim().split("\\s+");
            assertEquals("1", first[0]);
            assertEquals(sc.frame().x(0, 0), Double.parseDouble(first[2]), 1e-9);
        }
        String li3p = MdReferences.dataFile(ReferenceCrystals.all().stream().filter(c -> c.phase().equals("Li3P")).findFirst().orElseThrow()
                .supercell(11.0, 0.0, 1));
        // a = 4.27 A, 3 repeats: xy = -a*3/2
        assertTrue(li3p.contains("-6.4050000000 0.0000000000 0.0000000000 xy xz yz"), li3p.lines().limit(8).toList().toString());
    }
}
