package dev.hansa.privacy.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closeness assertions for the accounting tests. */
final class Close {

    private Close() {
    }

    /** |actual - expected| <= relative |expected| + absolute; infinities must match exactly. */
    static void assertClose(double expected, double actual, double relative, double absolute, String what) {
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            assertEquals(expected, actual, what);
            return;
        }
        double allowed = relative * Math.abs(expected) + absolute;
        assertTrue(Math.abs(actual - expected) <= allowed,
                () -> what + ": expected " + expected + ", got " + actual + " (relative error "
                        + Math.abs(actual - expected) / Math.abs(expected) + ")");
    }

    /** Equal to a published value to the digits given: within half a unit of its last printed digit. */
    static void assertToDigits(double published, int decimals, double actual, String what) {
        assertClose(published, actual, 0, 0.5 * Math.pow(10, -decimals) * (1 + 1e-9), what);
    }
}
