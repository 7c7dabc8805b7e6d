package org.interphase.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pair_style keywords: defaults, values, caps and the default chunk rule. */
class PairKeywordsTest {
    static PairKeywords.Parsed parse(int hw, String... args) {
        return PairKeywords.parse(args, 0, 1, 0, 1, hw);
    }

    /** The message with which the keywords are refused (2 hardware threads). */
    static String rejected(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> parse(2, args)).getMessage();
    }

    @Test
    void defaults() {
        PairSettings s = parse(8).settings();
        assertEquals(1, s.threads());
        assertTrue(s.autoChunk());
        assertTrue(s.pad());
        assertTrue(s.fold());
        assertEquals(false, parse(8, "fold", "no").settings().fold());
        assertEquals(false, s.cuda());
        assertEquals("", parse(8).warning());
    }

    @Test
    void valuesAreParsed() {
        PairSettings s = parse(8, "threads", "3", "chunk", "0", "ort_threads", "1", "pad", "no", "device", "cuda:1")
                .settings();
        assertEquals(3, s.threads());
        assertEquals(0, s.chunk());
        assertEquals(false, s.pad());
        assertTrue(s.cuda());
        assertEquals(1, s.deviceId());
    }

    @Test
    void deviationKeywordsHaveDeepmdNamesAndDefaults() {
        PairSettings.Deviation d = parse(8).settings().deviation();
        assertEquals(100, d.outFreq());
        assertEquals("model_devi.out", d.outFile());
        assertEquals(false, d.atomic());
        assertTrue(Double.isNaN(d.relative()) && Double.isNaN(d.relativeV()));
        assertTrue(d.given().isEmpty());
        // 'atomic' takes no value; the keywords may come in any order among the others
        PairSettings s = parse(8, "out_freq", "7", "atomic", "threads", "2", "out_file", "a/b.out", "relative", "0.5",
                "relative_v", "1e-3").settings();
        d = s.deviation();
        assertEquals(7, d.outFreq());
        assertEquals("a/b.out", d.outFile());
        assertTrue(d.atomic());
        assertEquals(0.5, d.relative());
        assertEquals(1e-3, d.relativeV());
        assertEquals(2, s.threads());
        assertEquals(java.util.List.of("out_freq", "atomic", "out_file", "relative", "relative_v"), d.given());
        assertTrue(parse(8, "atomic").settings().deviation().atomic());
    }

    @Test
    void haloDominatedChunksBecomeOneRunPerRank() {
        assertEquals(0, PairKeywords.chunkAfterHalo(18, 400, 416));   // SevenNet-0, 416 atoms: halo = the cell
        assertEquals(300, PairKeywords.chunkAfterHalo(300, 900, 10000));
        assertEquals(0, PairKeywords.chunkAfterHalo(0, 416, 416));
        assertEquals(208, PairKeywords.chunkAfterHalo(208, 208, 416)); // exactly half: kept
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
        assertTrue(q.warning().contains("4 ranks on this node x threads 2 = 8 threads on 4"), q.warning());
    }

    /** Each refused value and the start of its message (the whole message where it is given whole). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "chunk -1        | pair_style onnx: chunk -1 must be >= 0 (centre atoms per ONNX Runtime run; 0 = one run per rank)|whole",
        "chunk abc       | pair_style onnx: chunk 'abc' is not a whole number: give chunk N with N >= 0|",
        "threads 0       | pair_style onnx: threads 0 must be >= 1|",
        "ort_threads 0   | pair_style onnx: ort_threads 0 must be >= 1|",
        "ort_threads 2   | pair_style onnx: ort_threads 2 is refused: ONNX Runtime's ScatterND sums race across its intra-op threads and lose force terms; use threads 2 (chunks in parallel, one ONNX Runtime thread each)|whole",
        "chunk           | pair_style onnx: keyword 'chunk' needs a value; valid keywords are: |",
        "out_freq 0      | pair_style onnx: out_freq 0 must be >= 1 (steps between rows of the model-deviation file)|whole",
        "relative x      | pair_style onnx: relative 'x' must be a number >= 0|",
        "relative_v -0.1 | pair_style onnx: relative_v '-0.1' must be a number >= 0|",
        "relative_v Infinity | pair_style onnx: relative_v 'Infinity' must be a number >= 0|"})
    void badValuesNameTheFix(String args, String message, String whole) {
        String got = rejected(args.split(" "));
        if (whole != null) {
            assertEquals(message, got);
        } else {
            assertTrue(got.startsWith(message), got);
        }
    }

    @Test
    void unknownKeywordsAndOverlongFileNamesAreRefused() {
        assertTrue(rejected("bogus", "1").contains("valid keywords are: " + PairKeywords.USAGE));
        assertTrue(rejected("out_file", "x".repeat(5000)).startsWith("pair_style onnx: out_file must be a file name of 1 to 4095 bytes"));
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
