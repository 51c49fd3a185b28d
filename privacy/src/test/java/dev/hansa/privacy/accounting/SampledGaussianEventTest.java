package dev.hansa.privacy.accounting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SampledGaussianEventTest {

    @ParameterizedTest
    @CsvSource({
        "-0.5, 1, 10, q", "1.000001, 1, 10, q", "NaN, 1, 10, q",
        "0.1, -0.1, 10, sigma", "0.1, NaN, 10, sigma", "0.1, -Infinity, 10, sigma",
        "0.1, 1, -1, steps"})
    void refusesBadInputNamingTheParameter(double q, double sigma, long steps, String parameter) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> new SampledGaussianEvent(q, sigma, steps));
        assertTrue(thrown.getMessage().startsWith(parameter + " must be"), thrown.getMessage());
    }

    @Test
    void stepsMultiplyTheSingleStepRdp() {
        RdpOrders orders = RdpOrders.of(1.5, 2, 10.9, 32);
        double[] one = new SampledGaussianEvent(0.02, 1.3, 1).rdp(orders);
        double[] many = new SampledGaussianEvent(0.02, 1.3, 250).rdp(orders);
        for (int k = 0; k < one.length; k++) {
            one[k] *= 250;
        }
        assertArrayEquals(one, many, 0);
    }

    @Test
    void zeroStepsSpendNothingEvenWithoutNoise() {
        assertArrayEquals(new double[] {0, 0}, new SampledGaussianEvent(0.5, 0, 0).rdp(RdpOrders.of(2, 3)), 0);
    }
}
