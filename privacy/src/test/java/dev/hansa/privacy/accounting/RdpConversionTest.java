package dev.hansa.privacy.accounting;

import static dev.hansa.privacy.accounting.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RdpConversionTest {

    private static final double DELTA = Math.exp(-2);

    @Test
    void classicBoundByHand() {
        // r = 1 at alpha = 2: 1 + ln(1/delta)/(2 - 1) = 1 + 2.
        PrivacySpent spent = RdpConversion.CLASSIC.convert(RdpOrders.of(2), new double[] {1}, DELTA);
        assertClose(3, spent.epsilon(), 1e-15, 0, "epsilon");
        assertEquals(2.0, spent.order());
        assertEquals(DELTA, spent.delta());
    }

    @Test
    void improvedBoundByHand() {
        // 1 + ln(1/2) - (-2 + ln 2)/1 = 3 - 2 ln 2.
        PrivacySpent spent = RdpConversion.IMPROVED.convert(RdpOrders.of(2), new double[] {1}, DELTA);
        assertClose(3 - 2 * Math.log(2), spent.epsilon(), 1e-15, 0, "epsilon");
    }

    @Test
    void improvedNeverExceedsClassic() {
        RdpOrders orders = RdpOrders.DP_ACCOUNTING;
        for (double sigma : new double[] {0.7, 1, 3, 30}) {
            double[] rdp = new SampledGaussianEvent(0.02, sigma, 500).rdp(orders);
            for (double delta : new double[] {1e-9, 1e-5, 1e-2}) {
                assertTrue(RdpConversion.IMPROVED.convert(orders, rdp, delta).epsilon()
                        <= RdpConversion.CLASSIC.convert(orders, rdp, delta).epsilon(), "sigma " + sigma);
            }
        }
    }

    @Test
    void picksTheMinimisingOrder() {
        // Classic: 4 + 4/1 = 8 at alpha 2, 5 + 4/3 = 6.33 at alpha 4, 20 + 4/7 at alpha 8.
        PrivacySpent spent = RdpConversion.CLASSIC.convert(RdpOrders.of(2, 4, 8), new double[] {4, 5, 20},
                Math.exp(-4));
        assertClose(5 + 4.0 / 3, spent.epsilon(), 1e-15, 0, "epsilon");
        assertEquals(4.0, spent.order());
    }

    @Test
    void ordersUpTo1Point01AreIgnored() {
        for (RdpConversion conversion : RdpConversion.values()) {
            PrivacySpent spent = conversion.convert(RdpOrders.of(1.01, 3), new double[] {0.1, 9}, 1e-5);
            assertEquals(3.0, spent.order(), conversion.name());
        }
    }

    @Test
    void aTinyDivergenceIsEpsilonZeroThroughKl() {
        // delta^2 + expm1(-r) >= 0 exactly when r <= -ln(1 - delta^2), about delta^2.
        double delta = 1e-3;
        double atTheEdge = -Math.log1p(-delta * delta);
        for (RdpConversion conversion : RdpConversion.values()) {
            assertEquals(0.0, conversion.convert(RdpOrders.of(5), new double[] {atTheEdge * 0.999}, delta).epsilon());
            assertTrue(conversion.convert(RdpOrders.of(5), new double[] {atTheEdge * 1.01}, delta).epsilon() > 0);
        }
    }

    @Test
    void aNegativeBoundIsClampedToZero() {
        // Improved at alpha 2, r = 0.3, delta 0.9: 0.3 - ln 2 - ln(1.8) < 0 although the KL rule does not apply.
        PrivacySpent spent = RdpConversion.IMPROVED.convert(RdpOrders.of(2), new double[] {0.3}, 0.9);
        assertEquals(0.0, spent.epsilon());
        assertEquals(2.0, spent.order());
    }

    @Test
    void refusesMismatchedOrNegativeInput() {
        RdpOrders two = RdpOrders.of(2, 3);
        assertThrows(IllegalArgumentException.class,
                () -> RdpConversion.IMPROVED.convert(two, new double[] {1}, 1e-5));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> RdpConversion.IMPROVED.convert(two, new double[] {1, -1e-3}, 1e-5));
        assertTrue(negative.getMessage().startsWith("rdp must be >= 0"), negative.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RdpConversion.CLASSIC.convert(two, new double[] {1, Double.NaN}, 1e-5));
    }
}
