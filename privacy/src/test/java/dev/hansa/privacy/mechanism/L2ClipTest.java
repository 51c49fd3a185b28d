package dev.hansa.privacy.mechanism;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class L2ClipTest {

    @Test
    void boundsEveryContributionAndKeepsItsDirection() {
        Random random = new Random(21);
        for (int trial = 0; trial < 500; trial++) {
            int d = 1 + random.nextInt(3000);
            float[] u = new float[d];
            double scale = Math.pow(10, random.nextInt(9) - 4);
            for (int i = 0; i < d; i++) {
                u[i] = (float) (random.nextGaussian() * scale);
            }
            double bound = Math.pow(10, random.nextInt(7) - 3) * random.nextDouble() + 1e-9;
            L2Clip.Clipped c = L2Clip.clip(u, bound);
            assertTrue(L2Clip.norm(c.values()) <= bound, "norm " + L2Clip.norm(c.values()) + " > " + bound);
            double dot = 0;
            for (int i = 0; i < d; i++) {
                dot += (double) u[i] * c.values()[i];
            }
            assertEquals(1, dot / (c.norm() * L2Clip.norm(c.values())), 1e-6, "cosine with the original");
            if (c.withinBound()) {
                assertSame(u, c.values());
            } else {
                assertEquals(bound, L2Clip.norm(c.values()), bound * 1e-6);
            }
        }
    }

    @Test
    void aShortUpdateIsReturnedAsItIs() {
        float[] u = {3, 4};
        L2Clip.Clipped c = L2Clip.clip(u, 1e300);
        assertSame(u, c.values());
        assertEquals(5, c.norm());
        assertTrue(c.withinBound());
    }

    @Test
    void aLongUpdateIsScaledToTheBound() {
        L2Clip.Clipped c = L2Clip.clip(new float[] {3, 4}, 1);
        assertArrayEquals(new float[] {0.6f, 0.8f}, c.values(), 1e-7f);
        assertFalse(c.withinBound());
    }

    @Test
    void anAllZeroUpdateStaysZero() {
        L2Clip.Clipped c = L2Clip.clip(new float[5], 0.1);
        assertArrayEquals(new float[5], c.values());
        assertEquals(0, c.norm());
        assertTrue(c.withinBound());
    }

    @Test
    void boundZeroZeroesTheUpdate() {
        L2Clip.Clipped c = L2Clip.clip(new float[] {1, -2}, 0);
        assertArrayEquals(new float[2], c.values());
    }

    @Test
    void theInputIsNotWritten() {
        float[] u = {30, 40};
        L2Clip.clip(u, 1);
        assertArrayEquals(new float[] {30, 40}, u);
    }

    @Test
    void misuseRaises() {
        assertThrows(IllegalArgumentException.class, () -> L2Clip.clip(new float[] {1}, -1));
        assertThrows(IllegalArgumentException.class, () -> L2Clip.clip(new float[] {1}, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> L2Clip.clip(new float[] {1}, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> L2Clip.clip(new float[] {Float.NaN}, 1));
    }
}
