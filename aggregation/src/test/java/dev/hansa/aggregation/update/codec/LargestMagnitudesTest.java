package dev.hansa.aggregation.update.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LargestMagnitudesTest {

    /**
     * The reference the selection replaced: sort every (magnitude bits, complemented index) key, take the top k.
     * Raw bits order NaN above infinity, and the complemented index sends ties to the lower index.
     */
    static int[] bySorting(float[] v, int k) {
        long[] keys = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            keys[i] = (Float.floatToRawIntBits(v[i]) & 0x7fffffffL) << 32 | (0xffffffffL - i);
        }
        Arrays.sort(keys);
        int[] kept = new int[k];
        for (int j = 0; j < k; j++) {
            kept[j] = (int) (0xffffffffL - (keys[v.length - 1 - j] & 0xffffffffL));
        }
        Arrays.sort(kept);
        return kept;
    }

    @Test
    void choosesTheSameIndicesAsSortingOnEveryKindOfValue() {
        Random r = new Random(12);
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xffc00001), 1f, -1f, Math.nextUp(1f)};
        for (int trial = 0; trial < 400; trial++) {
            int d = 1 + r.nextInt(trial < 300 ? 200 : 20_000);
            float[] v = new float[d];
            int kind = trial % 4;
            for (int i = 0; i < d; i++) {
                v[i] = switch (kind) {
                    // Any bit pattern: every exponent, subnormals, NaNs with payloads.
                    case 0 -> Float.intBitsToFloat(r.nextInt());
                    // Few distinct magnitudes: ties everywhere, so the tie rule decides most of the choice.
                    case 1 -> (r.nextBoolean() ? 1 : -1) * r.nextInt(4) * 0.5f;
                    // Magnitudes that differ in the low digits only: the third histogram decides.
                    case 2 -> Float.intBitsToFloat(0x3f800000 | r.nextInt(1 << 11)) * (r.nextBoolean() ? 1 : -1);
                    default -> r.nextInt(10) == 0 ? special[r.nextInt(special.length)] : (float) r.nextGaussian();
                };
            }
            for (int k : new int[] {0, 1, r.nextInt(d + 1), d / 2, d - 1, d}) {
                if (k >= 0) {
                    assertArrayEquals(bySorting(v, k), LargestMagnitudes.indices(v, k), "trial " + trial + ", k " + k);
                }
            }
        }
    }

    @Test
    void refusesAKOutsideTheArray() {
        assertThrows(IllegalArgumentException.class, () -> LargestMagnitudes.indices(new float[3], 4));
        assertThrows(IllegalArgumentException.class, () -> LargestMagnitudes.indices(new float[3], -1));
    }
}
