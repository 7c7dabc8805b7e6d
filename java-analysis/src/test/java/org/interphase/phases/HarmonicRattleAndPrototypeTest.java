package org.interphase.phases;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.interphase.descriptors.FeatureComputer;
import org.interphase.descriptors.SannGeometry;
import org.interphase.io.Frame;
import org.junit.jupiter.api.Test;

/** The harmonic reference amplitude against a hand evaluation, and the SANN geometry against closed forms. */
class HarmonicRattleAndPrototypeTest {

    @Test
    void debyeWallerAmplitudeOfLithiumMetal() {
        // sqrt(3 hbar^2 T / (m k_B Theta^2)) with CODATA 2018 hbar, k_B, amu: Li (6.94 u), Theta 344 K
        // 300 K: 0.2305648 A, 600 K: 0.3260679 A (evaluated independently with Python floats)
        assertEquals(0.2305648, HarmonicRattle.sigma("Li", 344, 300), 1e-6);
        assertEquals(0.3260679, HarmonicRattle.sigma("Li", 344, 600), 1e-6);
        assertEquals(0.0, HarmonicRattle.sigma("S", 500, 0), 0.0);
        // heavier atoms vibrate less: ratio sqrt(m_Li / m_Cl) at equal Theta
        assertEquals(Math.sqrt(6.94 / 35.45), HarmonicRattle.sigma("Cl", 400, 450) / HarmonicRattle.sigma("Li", 400, 450), 1e-12);
    }

    private static double[] geometry(ReferenceCrystal c, String site) {
        ReferenceCrystal.Supercell sc = c.supercell(11, 0, 1);
        Frame f = sc.frame();
        FeatureComputer fc = new FeatureComputer(List.of(new SannGeometry(5.0)), ForkJoinPool.commonPool());
        double[] x = fc.compute(f);
        for (int i = 0; i < f.size(); i++) if (sc.sites()[i].equals(site)) return new double[] {x[3 * i], x[3 * i + 1], x[3 * i + 2]};
        throw new AssertionError(site);
    }

    @Test
    void sannShellsOfTheReferenceSitesHaveTheirTextbookGeometry() {
        // cube (antifluorite anion site): 8 neighbours, q4 = sqrt(7/27) = 0.50918, q6 = sqrt(2/3) * 0.7698 = 0.62854
        double[] s = geometry(ReferenceCrystals.li2s(), "S(4a)");
        assertEquals(8, s[0]);
        assertEquals(0.509175, s[1], 1e-6);
        assertEquals(0.628539, s[2], 1e-6);
        // the same geometry whatever the element: Cl on that site (prototype, not element)
        // bcc: 8 + 6 neighbours (SANN closes after the second shell), q4 0.03637, q6 0.51069
        double[] b = geometry(ReferenceCrystals.bccLi(), "Li(2a)");
        assertEquals(14, b[0]);
        assertEquals(0.036370, b[1], 1e-5);
        assertEquals(0.510688, b[2], 1e-5);
        // antifluorite cation: 4 anions + 6 cations (R_10 = 1.366 d < 1.633 d)
        assertEquals(10, geometry(ReferenceCrystals.li2s(), "Li(8c)")[0]);
        // rock salt: 6 + 12 (R_18 = 1.436 d < sqrt(3) d)
        assertEquals(18, geometry(ReferenceCrystals.licl(), "Cl(4a)")[0]);
    }

    @Test
    void aClOnAnAntifluoriteAnionSiteIsNotArgyroditesCl() {
        // the chemical descriptor of argyrodite's Cl(4a) site itself, but the geometry of an antifluorite anion site
        // (a cube of 8): the geometric rule must refuse the name; with argyrodite's own Cl(4a) geometry it names it
        ForkJoinPool pool = ForkJoinPool.commonPool();
        FeatureComputer fc = org.interphase.descriptors.Descriptors.open(org.interphase.descriptors.DescriptorOptions.cheap(3.2, 3.7, 3.2, 3.7), List.of("Li", "P", "S", "Cl"), pool);
        FeatureComputer geo = new FeatureComputer(List.of(new SannGeometry(5.0)), pool);
        PhaseLabeler lab = new PhaseLabeler(fc, geo, ReferenceCrystals.all(), new ReferenceRattle(300.0, 0.15), 1, 1.5, null);
        PhaseLabeler.Site cl = lab.sites().stream().filter(x -> x.site().equals("Cl(4a)") && x.phase().equals("Li6PS5Cl")).findFirst().orElseThrow();
        PhaseLabeler.Match sub = lab.match(cl.centroid(), geometry(ReferenceCrystals.li2s(), "S(4a)"));
        assertEquals("unassigned", sub.label(), sub.toString());
        assertEquals("antifluorite (Li2S type)", sub.prototype());
        assertEquals("anion site (4a)", sub.prototypeSite());
        org.junit.jupiter.api.Assertions.assertTrue(sub.reason().startsWith("geometry is anion site (4a) of antifluorite (Li2S type)"), sub.reason());
        PhaseLabeler.Match own = lab.match(cl.centroid(), geometry(ReferenceCrystals.argyrodite(), "Cl(4a)"));
        assertEquals("Li6PS5Cl", own.label(), own.toString());
    }

    @Test
    void prototypeTokensHaveNoSpaces() {
        assertEquals("antifluorite:anion(4a)", ReferenceCrystals.prototypeToken("antifluorite (Li2S type)", "anion site (4a)"));
        assertEquals("rocksalt:ion(4a/4b)", ReferenceCrystals.prototypeToken("rock salt (NaCl type)", "ion site (4a/4b)"));
        assertEquals("argyrodite:PS4_centre(4b)", ReferenceCrystals.prototypeToken("argyrodite (Li6PS5Cl type)", "PS4 centre (4b)"));
        assertEquals("none", ReferenceCrystals.prototypeToken(null, null));
    }
}
