package dev.hansa.aggregation.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Known answers from Random123 and /work/shared/reference/PHILOX.md, the recipes, and their bounds. */
class PhiloxTest {

    /** Random123 {@code tests/kat_vectors} (R = 10) and {@code old_kat_vectors}: counter, key, expected block. */
    private static final int[][] KAT = {
            {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
            {-1, -1, -1, -1, -1, -1, 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
            {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0,
                    0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
            {1, 0, 0, 0, 1, 0, 0xac08141b, 0xdfc5ccbe, 0x79c07a47, 0xa7f66093},
            {0, 1, 0, 0, 1, 0, 0x833ff8dc, 0x225c963c, 0x232b88b3, 0x0b334b07},
            {0, 0, 1, 0, 1, 0, 0x07071c12, 0x428264b6, 0x3909104b, 0x6da2bda2},
            {0, 0, 0, 1, 1, 0, 0x127bee41, 0x1e047488, 0x48842b20, 0x0a393496},
            {0, -1, 0, 0, 1, 0, 0x04e2eae1, 0x463cc999, 0xe7786310, 0x65b3dc49},
            {0, 0x80000000, 0, 0, 1, 0, 0x34a4d61d, 0x340e4017, 0xf6945830, 0xe9f52b96}};

    @Test
    void reproducesRandom123KnownAnswers() {
        for (int[] v : KAT) {
            Philox p = Philox.atBlock(v[4], v[5], v[0], v[1], v[2], v[3]);
            for (int w = 0; w < 4; w++) {
                assertEquals(Integer.toHexString(v[6 + w]), Integer.toHexString(p.nextWord()), "word " + w);
            }
        }
    }

    @Test
    void streamsNumberBlocksFromZeroUnderTheSeedAndStream() {
        // PHILOX.md section 7: seed 0x12345678deadbeef, stream 7, blocks 0 and 1.
        int[] expected = {0x42fd2c97, 0x940d3fd5, 0x852160a2, 0x456be938, 0x85b3f11f, 0x2d179d58, 0xf9f407b1,
                0x2c4abb86};
        Philox p = Philox.stream(0x12345678deadbeefL, 7);
        for (int e : expected) {
            assertEquals(Integer.toHexString(e), Integer.toHexString(p.nextWord()));
        }
    }

    @Test
    void floatAndDoubleRecipesMatchTheWorkedExamples() {
        Philox f = Philox.stream(0x12345678deadbeefL, 7);
        float[] expected = {0.26167560f, 0.57832712f, 0.52004051f, 0.27117783f};
        for (float e : expected) {
            assertEquals(e, f.nextFloat(), 1e-8f);
        }
        // KAT block 0 (key 0, counter 0), first two words: 0.39904647887528233 (PHILOX.md section 4).
        assertEquals(0.39904647887528233, Philox.atBlock(0, 0, 0, 0, 0, 0).nextDouble(), 0);
        assertEquals(0x6627e8d5 >>> 8, (int) (Philox.atBlock(0, 0, 0, 0, 0, 0).nextFloat() * 0x1.0p24f));
    }

    @Test
    void normalsMatchPhiloxMdWithinFourUlpAndAreStandard() {
        // PHILOX.md section 7, computed there with Python on glibc.
        double[] first = new double[3];
        Philox.stream(0x12345678deadbeefL, 7).nextGaussians(first);
        assertEquals(-1.6245030440214545, first[0], 4 * Math.ulp(1.6245030440214545));
        assertEquals(-0.20564293259025943, first[1], 4 * Math.ulp(0.20564293259025943));
        double[] many = new double[100_001];
        Philox.stream(8, 9).nextGaussians(many);
        double sum = 0;
        double squares = 0;
        for (double x : many) {
            sum += x;
            squares += x * x;
        }
        assertEquals(0, sum / many.length, 0.01);
        assertEquals(1, squares / many.length, 0.02);
    }

    @Test
    void signsAreTheTopBitOfEachWord() {
        Philox words = Philox.stream(3, 4);
        Philox signs = Philox.stream(3, 4);
        for (int i = 0; i < 100; i++) {
            assertEquals(words.nextWord() < 0 ? -1 : 1, signs.nextSign());
        }
    }

    @Test
    void boundedIntegersStayInRangeAndRejectOnlyTheBiasedTail() {
        Philox p = Philox.stream(11, 0);
        int[] counts = new int[3];
        for (int i = 0; i < 30_000; i++) {
            counts[p.nextInt(3)]++;
        }
        for (int c : counts) {
            assertTrue(Math.abs(c - 10_000) < 500, "counts " + c);
        }
        // n = 2^31 - 1: 2^32 mod n = 2, so only words whose product's low half is 0 or 1 are redrawn.
        Philox q = Philox.stream(5, 5);
        Philox r = Philox.stream(5, 5);
        for (int i = 0; i < 1000; i++) {
            long m = Integer.toUnsignedLong(r.nextWord()) * Integer.MAX_VALUE;
            int got = q.nextInt(Integer.MAX_VALUE);
            if ((m & 0xffffffffL) >= 2) {
                assertEquals((int) (m >>> 32), got);
            }
        }
        assertEquals(0, Philox.stream(1, 1).nextInt(1));
        assertThrows(IllegalArgumentException.class, () -> Philox.stream(1, 1).nextInt(0));
    }
}
