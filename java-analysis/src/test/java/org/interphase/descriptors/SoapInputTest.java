package org.interphase.descriptors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.interphase.io.Box;
import org.interphase.io.Frame;
import org.interphase.neighbors.CellList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every bad SOAP input gives a one-line IllegalArgumentException that names the cause and the fix. */
class SoapInputTest {
    private static final List<String> SPECIES = List.of("Li", "P", "S", "Cl");

    private static void fails(Executable e, String... expected) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        String msg = ex.getMessage();
        assertFalse(msg.contains("\n"), "message must be one line: " + msg);
        for (String s : expected) assertTrue(msg.contains(s), "message '" + msg + "' should mention '" + s + "'");
    }

    @Test
    void badParameters() {
        fails(() -> SoapParameters.of(0.0, 8, 6, 0.5, "gto", SPECIES), "r_cut", "positive");
        fails(() -> SoapParameters.of(Double.NaN, 8, 6, 0.5, "gto", SPECIES), "r_cut");
        fails(() -> SoapParameters.of(0.9, 8, 6, 0.5, "gto", SPECIES), "r_cut", "> 1 A");
        fails(() -> SoapParameters.of(5.0, 0, 6, 0.5, "gto", SPECIES), "n_max", "at least 1");
        fails(() -> SoapParameters.of(5.0, 8, -1, 0.5, "gto", SPECIES), "l_max", "between 0 and 20");
        fails(() -> SoapParameters.of(5.0, 8, 21, 0.5, "gto", SPECIES), "l_max", "between 0 and 20");
        fails(() -> SoapParameters.of(5.0, 8, 6, 0.0, "gto", SPECIES), "sigma", "positive");
        fails(() -> SoapParameters.of(5.0, 8, 6, 0.5, "gaussian", SPECIES), "gaussian", "gto or polynomial");
        fails(() -> SoapParameters.of(5.0, 8, 6, 0.5, "gto", List.of()), "species");
        fails(() -> SoapParameters.of(5.0, 8, 6, 0.5, "gto", List.of("Li", "Xx")), "Xx", "element symbol");
    }

    @Test
    void speciesAreSortedByAtomicNumberAndDeduplicated() {
        SoapParameters p = SoapParameters.of(5.0, 2, 1, 0.5, "gto", List.of("Cl", "S", "Li", "P", "Li"));
        assertTrue(p.species().equals(SPECIES), p.species().toString());
    }

    @Test
    void illConditionedBasisIsRefused() {
        // dscribe refuses this one too ("Could not calculate normalization factors ...")
        fails(() -> new Soap(SoapParameters.of(3.0, 12, 4, 0.5, "polynomial", SPECIES)), "numerically singular",
                "lower n_max or increase r_cut");
    }

    private static Frame argyroditeUnitCell() {
        Frame f = SoapFixtures.structure("li6ps5cl_2x2x2");
        // the first 52 atoms of the 2x2x2 fixture are the conventional cell (a = 10.279498 A)
        double a = f.box().h(0, 0) / 2;
        int n = 52;
        return new Frame(0, 0, Box.orthogonal(a, a, a, true, true, true), java.util.Arrays.copyOf(f.positions(), 3 * n),
                java.util.Arrays.copyOf(f.types(), n), java.util.Arrays.copyOf(f.elements(), n));
    }

    @Test
    void cellTooSmallForThePaddedCutoff() {
        Soap soap = new Soap(SoapParameters.of(5.0, 8, 6, 0.5, "gto", SPECIES));
        Frame f = argyroditeUnitCell();
        fails(() -> new CellList(f.box(), f.positions(), soap.cutoff()), "half the box width", "replicate the cell");
    }

    @Test
    void cellListWithTooSmallCutoff() {
        Soap soap = new Soap(SoapParameters.of(4.0, 4, 4, 0.3, "gto", SPECIES));
        Frame f = argyroditeUnitCell();
        CellList small = new CellList(f.box(), f.positions(), 3.0);
        fails(() -> soap.compute(f, small, 0, new double[soap.dimension()], 0), "smaller than the SOAP cutoff");
    }

    @Test
    void elementNotInSpecies() {
        Soap soap = new Soap(SoapParameters.of(4.0, 4, 4, 0.3, "gto", List.of("Li", "P", "S")));
        Frame f = argyroditeUnitCell();
        CellList cells = new CellList(f.box(), f.positions(), soap.cutoff());
        fails(() -> soap.compute(f, cells, 0, new double[soap.dimension()], 0), "'Cl'", "not in the SOAP species list",
                "add it");
    }

    @Test
    void badCentreOrOutput() {
        Soap soap = new Soap(SoapParameters.of(4.0, 4, 4, 0.3, "gto", SPECIES));
        Frame f = argyroditeUnitCell();
        CellList cells = new CellList(f.box(), f.positions(), soap.cutoff());
        fails(() -> soap.compute(f, cells, 52, new double[soap.dimension()], 0), "centre 52", "52 atoms");
        fails(() -> soap.compute(f, cells, 0, new double[soap.dimension()], 1), "output array too small");
    }
}
