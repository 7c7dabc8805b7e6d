package org.interphase.select;

import static org.interphase.select.TrustLevels.Verdict.ACCURATE;
import static org.interphase.select.TrustLevels.Verdict.CANDIDATE;
import static org.interphase.select.TrustLevels.Verdict.FAILED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.interphase.io.InputException;
import org.junit.jupiter.api.Test;

/** DP-GEN's rule: lo inclusive, hi exclusive; with virial levels, a candidate if either quantity is in its window. */
class TrustLevelsTest {
    @Test
    void forceLevels() {
        TrustLevels t = TrustLevels.force(0.05, 0.15);
        assertEquals(ACCURATE, t.classify(0.0, 99));
        assertEquals(ACCURATE, t.classify(Math.nextDown(0.05), 99), "the virial is ignored without virial levels");
        assertEquals(CANDIDATE, t.classify(0.05, 0));
        assertEquals(CANDIDATE, t.classify(Math.nextDown(0.15), 0));
        assertEquals(FAILED, t.classify(0.15, 0));
        assertEquals(FAILED, t.classify(Double.POSITIVE_INFINITY, 0));
        assertEquals(FAILED, t.classify(Double.NaN, 0));
    }

    @Test
    void virialLevelsOrRule() {
        TrustLevels t = new TrustLevels(0.05, 0.15, 0.1, 0.2);
        assertEquals(ACCURATE, t.classify(0.01, 0.05));
        assertEquals(CANDIDATE, t.classify(0.07, 0.05), "force in window");
        assertEquals(CANDIDATE, t.classify(0.01, 0.1), "virial in window");
        assertEquals(CANDIDATE, t.classify(0.2, 0.15), "either in its window: candidate even if the other failed (DP-GEN checks candidates first)");
        assertEquals(CANDIDATE, t.classify(0.07, 0.3));
        assertEquals(FAILED, t.classify(0.01, 0.2), "virial at its hi, force accurate");
        assertEquals(FAILED, t.classify(0.15, 0.01));
        assertEquals(FAILED, t.classify(0.01, Double.NaN));
    }

    @Test
    void badLevels() {
        InputException e = assertThrows(InputException.class, () -> TrustLevels.force(0.15, 0.15));
        assertTrue(e.getMessage().contains("--trust-lo 0.15 must be smaller than --trust-hi 0.15"), e.getMessage());
        assertThrows(InputException.class, () -> TrustLevels.force(0.2, 0.1));
        assertThrows(InputException.class, () -> TrustLevels.force(-0.1, 0.1));
        assertThrows(InputException.class, () -> TrustLevels.force(0.1, Double.POSITIVE_INFINITY));
        e = assertThrows(InputException.class, () -> new TrustLevels(0.05, 0.15, 0.1, Double.NaN));
        assertTrue(e.getMessage().contains("give both --trust-lo-v and --trust-hi-v"), e.getMessage());
        e = assertThrows(InputException.class, () -> new TrustLevels(0.05, 0.15, 0.3, 0.2));
        assertTrue(e.getMessage().contains("--trust-lo-v 0.3 must be smaller than --trust-hi-v 0.2"), e.getMessage());
    }
}
