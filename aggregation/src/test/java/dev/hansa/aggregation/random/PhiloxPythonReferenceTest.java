package dev.hansa.aggregation.random;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The Java streams equal, bit for bit, what the numpy-only reference computes from Random123's definition. */
class PhiloxPythonReferenceTest {

    private static final long SEED = 0x9e3779b97f4a7c15L;
    private static final long STREAM = 0xfedcba9876543210L;
    private static final int COUNT = 2_000;

    @Test
    void wordsMatch() throws Exception {
        Philox p = Philox.stream(SEED, STREAM);
        compare(PythonReference.run("words", hex(SEED), hex(STREAM), "" + COUNT), i -> String.format("%08x",
                p.nextWord()));
    }

    @Test
    void boundedIntegersMatchIncludingRejections() throws Exception {
        // 2^30 + 1: a quarter of all words are rejected, so the streams must agree on which.
        for (int n : new int[] {1000, (1 << 30) + 1, Integer.MAX_VALUE}) {
            Philox p = Philox.stream(SEED, 3);
            compare(PythonReference.run("ints", hex(SEED), "3", "" + n, "" + COUNT), i -> "" + p.nextInt(n));
        }
    }

    @Test
    void floatsDoublesAndSignsMatchBitForBit() throws Exception {
        Philox f = Philox.stream(SEED, STREAM);
        compare(PythonReference.run("floats", hex(SEED), hex(STREAM), "" + COUNT), i -> String.format("%08x",
                Float.floatToRawIntBits(f.nextFloat())));
        Philox d = Philox.stream(SEED, STREAM);
        compare(PythonReference.run("doubles", hex(SEED), hex(STREAM), "" + COUNT), i -> String.format("%016x",
                Double.doubleToRawLongBits(d.nextDouble())));
        Philox s = Philox.stream(SEED, STREAM);
        compare(PythonReference.run("signs", hex(SEED), hex(STREAM), "" + COUNT), i -> "" + s.nextSign());
    }

    /** Box-Muller goes through log, cos and sin: libm and fdlibm may differ in the last bits (PHILOX.md: <= 3 ulp). */
    @Test
    void normalsAgreeWithinFourUlp() throws Exception {
        double[] java = new double[COUNT];
        Philox.stream(SEED, STREAM).nextGaussians(java);
        List<String> python = PythonReference.run("normals", hex(SEED), hex(STREAM), "" + COUNT);
        assertEquals(COUNT, python.size());
        for (int i = 0; i < COUNT; i++) {
            double expected = Double.longBitsToDouble(Long.parseUnsignedLong(python.get(i), 16));
            assertEquals(expected, java[i], 4 * Math.ulp(expected), "normal " + i);
        }
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    static void compare(List<String> python, IntFunction<String> java) {
        for (int i = 0; i < python.size(); i++) {
            assertEquals(python.get(i), java.apply(i), "element " + i);
        }
    }
}
