package org.interphase.phases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.interphase.testutil.Lammps;
import org.interphase.testutil.LayeredCell;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * SOAP never crashes: 'interphase analyze --soap' on H5MD dumps written by LAMMPS that lack a species (Li | LiCl |
 * Li2S has no P, so every P block of the SOAP vector is exactly zero and the covariance is rank-deficient), with the
 * parameter sets that failed in EJML's eigen-solver (issue 12), and on the co-doped cell. Each run must succeed and
 * name bulk atoms sensibly: none of them gets another known phase's name, and the bulk S of Li2S and Cl of LiCl
 * are named right (SOAP sees 6.9 A far, so its Li clusters are coarser; the 98 % rule is tested without SOAP in
 * {@link ThermalPhaseLabelTest}).
 */
class SoapOnLammpsDumpsTest {
    @TempDir
    static Path tmp;
    static Path noP;
    static Path coDoped;
    static LayeredCell cellNoP;
    static LayeredCell cellCoDoped;

    @BeforeAll
    static void dumps() throws Exception {
        cellNoP = ThermalPhaseLabelTest.liLiClLi2S();
        noP = dump("nop", cellNoP);
        cellCoDoped = ThermalPhaseLabelTest.liArgyroditeCoDoped();
        coDoped = dump("codoped", cellCoDoped);
    }

    static Path dump(String name, LayeredCell cell) throws Exception {
        Path d = tmp.resolve(name);
        Files.createDirectories(d);
        cell.writeData(d.resolve("cell.data"));
        Lammps.run(d, LayeredCell.rattleInput(450, 0.57, 3.0, 2, 99));
        return d.resolve("traj.h5");
    }

    static ThermalPhaseLabelTest.Run run(LayeredCell cell, Path traj, String soap) throws Exception {
        ThermalPhaseLabelTest.Run r = ThermalPhaseLabelTest.analyze(tmp, cell, traj, "--soap", soap, "--temperature", "450", "--every", "2");
        assertTrue(r.report().contains("SOAP features"), r.report());
        return r;
    }

    static void assertSensible(ThermalPhaseLabelTest.Run r, String what, String... rightPhases) {
        Map<String, int[]> s = ThermalPhaseLabelTest.score(r);
        for (var e : s.entrySet()) {
            System.out.printf("%s: %s bulk atom-frames %d, named right %d, another known name %d%n", what, e.getKey(), e.getValue()[0],
                    e.getValue()[1], e.getValue()[2]);
            if (!e.getKey().equals("LiSPCl")) assertEquals(0, e.getValue()[2], what + ": bulk " + e.getKey() + " atoms named another known phase");
        }
        // the co-doped layer: host Li and S may look like Li2S; other known names are counted. Measured with SOAP
        // 5.0:6:4:0.5 at 450 K: 30 of 600 bulk atom-frames (dopant Cl that the global k <= 10 clustering puts into the
        // argyrodite Cl cluster; without SOAP, per-element clustering, see ThermalPhaseLabelTest): limit 10 %
        int n = r.cell().atoms().size(), layer = 0, wrong = 0;
        for (int k = 0; k < r.labels().size(); k++) {
            LayeredCell.Atom a = r.cell().atoms().get(k % n);
            if (!a.truth().equals("LiSPCl") || a.interfaceDistance() <= ThermalPhaseLabelTest.CUTOFF) continue;
            String ph = r.labels().get(k)[r.col().get("phase")];
            layer++;
            boolean ok = ph.equals("unassigned") || (ph.equals("Li2S") && (a.element().equals("Li") || a.element().equals("S")));
            if (!ok) wrong++;
        }
        if (layer > 0) {
            System.out.printf("%s: co-doped layer bulk atom-frames %d, named a wrong known phase %d%n", what, layer, wrong);
            assertTrue(wrong <= 0.1 * layer, what + ": co-doped layer atoms named a wrong known phase: " + wrong + " of " + layer);
        }
        for (String p : rightPhases) {
            int bulk = 0, right = 0;
            for (int k = 0; k < r.labels().size(); k++) {
                LayeredCell.Atom a = r.cell().atoms().get(k % n);
                if (a.interfaceDistance() <= ThermalPhaseLabelTest.CUTOFF || !a.truth().equals(p) || a.element().equals("Li")) continue;
                bulk++;
                if (r.labels().get(k)[r.col().get("phase")].equals(p)) right++;
            }
            assertTrue(right >= 0.9 * bulk, what + ": bulk anions of " + p + " named right " + right + " of " + bulk);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.0:6:4:0.5", "5:8:6:0.5", "4:8:6:0.5", "5:8:6:0.5:polynomial"})
    void soapRunsOnADumpWithoutPhosphorus(String soap) throws Exception {
        assertSensible(run(cellNoP, noP, soap), "no P, --soap " + soap, "Li2S", "LiCl");
    }

    @Test
    void soapRunsOnTheCoDopedCell() throws Exception {
        ThermalPhaseLabelTest.Run r = run(cellCoDoped, coDoped, "5.0:6:4:0.5");
        assertSensible(r, "co-doped, --soap 5.0:6:4:0.5");
    }

    @Test
    void badTemperatureIsOneLineCauseAndFix() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cl = org.interphase.cli.Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("analyze", noP.toString(), "--types", "Li,P,S,Cl", "--temperature", "-5", "-o", tmp.resolve("bad").toString()));
        String msg = err.toString().trim();
        assertEquals("interphase: error: --temperature must be in 0..5000 K, got -5.0: give the trajectory's temperature, e.g. --temperature 450", msg);
    }
}
