package org.interphase.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pair_style keywords: defaults, values, caps and the default chunk rule. */
class PairKeywordsTest {
    static PairKeywords.Parsed parse(int hw, String... args) {
        return PairKeywords.parse(args, 0, 1, 0, 1, hw);
    }

    @Test
    void defaults() {
        PairSettings s = parse(8).settings();
        assertEquals(1, s.threads());
        assertEquals(1, s.ortThreads());
        assertTrue(s.autoChunk());
        assertTrue(s.pad());
        assertEquals(false, s.cuda());
        assertEquals("", parse(8).warning());
    }

    @Test
    void valuesAreParsed() {
        PairSettings s = parse(8, "threads", "3", "chunk", "0", "ort_threads", "2", "pad", "no", "device", "cuda:1")
                .settings();
        assertEquals(3, s.threads());
        assertEquals(0, s.chunk());
        assertEquals(2, s.ortThreads());
        assertEquals(false, s.pad());
        assertTrue(s.cuda());
        assertEquals(1, s.deviceId());
    }

    @Test
    void threadsAboveTheHardwareAreCappedWithOneWarning() {
        PairKeywords.Parsed p = parse(2, "threads", "1000");
        assertEquals(2, p.settings().threads());
        assertEquals("pair_style onnx: threads 1000 is more than the 2 hardware threads of this process; "
                + "using threads 2", p.warning());
        // oversubscription by ranks x threads: a warning, no cap
        PairKeywords.Parsed q = PairKeywords.parse(new String[] {"threads", "2"}, 0, 4, 0, 4, 4);
        assertEquals(2, q.settings().threads());
        assertTrue(q.warning().contains("4 ranks on this node x threads 2 x ort_threads 1 = 8 threads on 4"), q.warning());
    }

    @Test
    void badValuesNameTheFix() {
        assertEquals("pair_style onnx: chunk -1 must be >= 0 (centre atoms per ONNX Runtime run; 0 = one run per rank)",
                assertThrows(IllegalArgumentException.class, () -> parse(2, "chunk", "-1")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(2, "chunk", "abc")).getMessage()
                .startsWith("pair_style onnx: chunk 'abc' is not a whole number: give chunk N with N >= 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(2, "threads", "0")).getMessage()
                .startsWith("pair_style onnx: threads 0 must be >= 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(2, "bogus", "1")).getMessage()
                .contains("valid keywords are: " + PairKeywords.USAGE));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(2, "chunk")).getMessage()
                .contains("'chunk' needs a value"));
    }

    @Test
    void defaultChunkFollowsTheModelsMemoryPerEdge() {
        // 256 MB / (2700 B x 40 neighbours) = 2485 atoms; the budget is shared by the threads
        assertEquals(2485, PairKeywords.autoChunk(1, 2700, 40, 1));
        assertEquals(1242, PairKeywords.autoChunk(1, 2700, 40, 2));
        // a production-size model (~200 kB per edge): small chunks
        assertEquals(33, PairKeywords.autoChunk(1, 200_000, 40, 1));
        // clamped at both ends
        assertEquals(PairKeywords.MAX_AUTO_CHUNK, PairKeywords.autoChunk(1, 10, 40, 1));
        assertEquals(PairKeywords.MIN_AUTO_CHUNK, PairKeywords.autoChunk(1, 1e8, 40, 1));
        // no figure in the model: the fixed defaults
        assertEquals(PairKeywords.DEFAULT_CHUNK, PairKeywords.autoChunk(1, 0, 40, 1));
        assertEquals(PairKeywords.DEFAULT_CHUNK_MESSAGE_PASSING, PairKeywords.autoChunk(2, 0, 40, 1));
    }
}
