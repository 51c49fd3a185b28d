package dev.hansa.privacy.accounting;

import static dev.hansa.privacy.accounting.Close.assertClose;
import static dev.hansa.privacy.accounting.Close.assertToDigits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SampledGaussianRdpTest {

    /**
     * {q, sigma, alpha, RDP of one step}: Opacus' {@code _compute_rdp} at commit 4d0ebc84 (scipy 1.17.1), printed by
     * privacy/src/test/python/reference_values.py. Integer and fractional orders (1.1, 1.5, 4.5, 7.3, 10.9), tiny q,
     * small and large sigma.
     */
    private static final double[][] OPACUS = {
        {0.01, 1.0, 1.1, 9.241470982855839e-05},
        {0.01, 1.0, 1.5, 0.00012725374351154145},
        {0.01, 1.0, 2.0, 0.00017181342207453428},
        {0.01, 1.0, 3.0, 0.00026463757458466063},
        {0.01, 1.0, 4.5, 0.00041492706734509965},
        {0.01, 1.0, 7.3, 0.0007584451070487351},
        {0.01, 1.0, 10.0, 0.03827041889494864},
        {0.01, 1.0, 10.9, 0.3876114113003885},
        {0.01, 1.0, 32.0, 11.246275937048072},
        {0.01, 1.0, 63.0, 26.820552875528232},
        {0.01, 1.0, 256.0, 123.37677032308648},
        {1e-06, 1.0, 1.1, 9.237055564881294e-13},
        {1e-06, 1.0, 1.5, 1.2931877790833823e-12},
        {1e-06, 1.0, 2.0, 1.718224318493235e-12},
        {1e-06, 1.0, 3.0, 2.5773865745579974e-12},
        {1e-06, 1.0, 4.5, 3.866123263905011e-12},
        {1e-06, 1.0, 7.3, 6.271785184245121e-12},
        {1e-06, 1.0, 10.0, 8.591562943433921e-12},
        {1e-06, 1.0, 10.9, 9.36482953943381e-12},
        {1e-06, 1.0, 32.0, 1.7388278466688971},
        {1e-06, 1.0, 63.0, 17.46165862658469},
        {1e-06, 1.0, 256.0, 114.1303109692594},
        {0.001, 0.6, 1.1, 7.866424432702089e-06},
        {0.001, 0.6, 1.5, 1.0964670856845117e-05},
        {0.001, 0.6, 2.0, 1.5083126921130027e-05},
        {0.001, 0.6, 3.0, 2.4681257975255297e-05},
        {0.001, 0.6, 4.5, 7.446792670024855e-05},
        {0.001, 0.6, 7.3, 2.134693848543087},
        {0.001, 0.6, 10.0, 6.213605260991035},
        {0.001, 0.6, 10.9, 7.5333805526775945},
        {0.001, 0.6, 32.0, 37.31385835001127},
        {0.001, 0.6, 63.0, 80.48082931329235},
        {0.001, 0.6, 256.0, 348.62071104018526},
        {0.1, 2.5, 1.1, 0.0009398516900702109},
        {0.1, 2.5, 1.5, 0.0012897900824568001},
        {0.1, 2.5, 2.0, 0.0017336051477785143},
        {0.1, 2.5, 3.0, 0.0026434338860586845},
        {0.1, 2.5, 4.5, 0.004067516649658401},
        {0.1, 2.5, 7.3, 0.006941894488683848},
        {0.1, 2.5, 10.0, 0.010032958677566976},
        {0.1, 2.5, 10.9, 0.011146503505742174},
        {0.1, 2.5, 32.0, 0.2619583264027573},
        {0.1, 2.5, 63.0, 2.700727183078557},
        {0.1, 2.5, 256.0, 18.16838516154323},
        {0.5, 1.3, 1.1, 0.08813524388744601},
        {0.5, 1.3, 1.5, 0.12754040553702484},
        {0.5, 1.3, 2.0, 0.18379685848645677},
        {0.5, 1.3, 3.0, 0.3249375925286673},
        {0.5, 1.3, 4.5, 0.6228304539296393},
        {0.5, 1.3, 7.3, 1.385995313215418},
        {0.5, 1.3, 10.0, 2.193908724425945},
        {0.5, 1.3, 10.9, 2.4648677704661957},
        {0.5, 1.3, 32.0, 8.75194886542639},
        {0.5, 1.3, 63.0, 17.934726280643087},
        {0.5, 1.3, 256.0, 75.04377956561676},
        {0.01, 100.0, 1.1, 5.500306875884631e-09},
        {0.01, 100.0, 1.5, 7.500375546865719e-09},
        {0.01, 100.0, 2.0, 1.0000499952680952e-08},
        {0.01, 100.0, 3.0, 1.5000764800918337e-08},
        {0.01, 100.0, 4.5, 2.2501180093773395e-08},
        {0.01, 100.0, 7.3, 3.650201641645025e-08},
        {0.01, 100.0, 10.0, 5.000289588445109e-08},
        {0.01, 100.0, 10.9, 5.450320507719562e-08},
        {0.01, 100.0, 32.0, 1.6001275227888474e-07},
        {0.01, 100.0, 63.0, 3.1503477583981537e-07},
        {0.01, 100.0, 256.0, 1.2803860148330892e-06},
        {0.2, 0.8, 1.1, 0.05269607105541025},
        {0.2, 0.8, 1.5, 0.08363001601719416},
        {0.2, 0.8, 2.0, 0.14048283662384337},
        {0.2, 0.8, 3.0, 0.3993481720752371},
        {0.2, 0.8, 4.5, 1.4718900669483825},
        {0.2, 0.8, 7.3, 3.8384673642196323},
        {0.2, 0.8, 10.0, 6.024239124802753},
        {0.2, 0.8, 10.9, 6.743618444533256},
        {0.2, 0.8, 32.0, 23.338644735551892},
        {0.2, 0.8, 63.0, 47.58335341155889},
        {0.2, 0.8, 256.0, 198.38425056634065},
    };

    /**
     * Below about 1e-13 the value is a difference of log-sum-exp terms near 1: both implementations are exact only to
     * a few ulps of 1 divided by (alpha - 1), so the comparison allows that much in absolute terms.
     */
    private static final double ROUNDING_FLOOR = 1e-15;

    @Test
    void matchesThePublishedSingleStepValues() {
        // ALGORITHMS.md 6.4, q = 0.01, sigma = 1.0, six significant digits.
        assertToDigits(1.71813e-4, 9, SampledGaussianRdp.rdp(0.01, 1.0, 2), "alpha 2");
        assertToDigits(2.64638e-4, 9, SampledGaussianRdp.rdp(0.01, 1.0, 3), "alpha 3");
        assertToDigits(4.14927e-4, 9, SampledGaussianRdp.rdp(0.01, 1.0, 4.5), "alpha 4.5");
        assertToDigits(3.82704e-2, 7, SampledGaussianRdp.rdp(0.01, 1.0, 10), "alpha 10");
        assertToDigits(11.2463, 4, SampledGaussianRdp.rdp(0.01, 1.0, 32), "alpha 32");
    }

    @Test
    void matchesOpacusToNineDigits() {
        for (double[] row : OPACUS) {
            assertClose(row[3], SampledGaussianRdp.rdp(row[0], row[1], row[2]), 1e-9, ROUNDING_FLOOR,
                    "q " + row[0] + ", sigma " + row[1] + ", alpha " + row[2]);
        }
    }

    @Nested
    class AgainstTheDefinition {

        /**
         * A_alpha = E over z ~ N(0, sigma^2) of ((1 - q) + q exp((2z - 1)/(2 sigma^2)))^alpha, the moment that the
         * two series expand (Mironov, Talwar, Zhang 2019, section 3.3), integrated here by Simpson's rule: an
         * independent check of the fractional path that shares no code with it.
         */
        private static double rdpByIntegration(double q, double sigma, double alpha) {
            double from = -40 * sigma;
            double to = alpha + 40 * sigma;
            int intervals = 400_000;
            double h = (to - from) / intervals;
            double sum = 0;
            for (int k = 0; k <= intervals; k++) {
                double z = from + k * h;
                double weight = k == 0 || k == intervals ? 1 : k % 2 == 1 ? 4 : 2;
                double density = Math.exp(-z * z / (2 * sigma * sigma)) / (Math.sqrt(2 * Math.PI) * sigma);
                sum += weight * density * Math.pow(1 - q + q * Math.exp((2 * z - 1) / (2 * sigma * sigma)), alpha);
            }
            return Math.log(sum * h / 3) / (alpha - 1);
        }

        /** The binomial expansion summed plainly in double, for integer orders small enough not to overflow. */
        private static double rdpByPlainSum(double q, double sigma, int alpha) {
            double sum = 0;
            double binomial = 1;
            for (int i = 0; i <= alpha; i++) {
                if (i > 0) {
                    binomial = binomial * (alpha - i + 1) / i;
                }
                sum += binomial * Math.pow(q, i) * Math.pow(1 - q, alpha - i)
                        * Math.exp((i * (double) i - i) / (2 * sigma * sigma));
            }
            return Math.log(sum) / (alpha - 1);
        }

        @ParameterizedTest
        @CsvSource({"0.01, 1.0, 4.5", "0.1, 2.5, 7.3", "0.5, 1.3, 1.5", "0.2, 0.8, 2.5", "0.05, 1.7, 12.25"})
        void fractionalOrdersEqualTheIntegral(double q, double sigma, double alpha) {
            assertClose(rdpByIntegration(q, sigma, alpha), SampledGaussianRdp.rdp(q, sigma, alpha), 1e-9, 0,
                    "integral");
        }

        @ParameterizedTest
        @CsvSource({"0.01, 1.0, 2", "0.01, 1.0, 10", "0.3, 2.0, 7", "0.9, 1.5, 20", "0.05, 1.5, 40"})
        void integerOrdersEqualThePlainSum(double q, double sigma, int alpha) {
            assertClose(rdpByPlainSum(q, sigma, alpha), SampledGaussianRdp.rdp(q, sigma, alpha), 1e-12, 0, "sum");
        }

        @Test
        void integerOrdersAgreeWithTheIntegralToo() {
            assertClose(rdpByIntegration(0.3, 2.0, 7), SampledGaussianRdp.rdp(0.3, 2.0, 7), 1e-9, 0, "integral");
        }
    }

    @Test
    void growsWithTheOrderAndStaysFiniteOnRandomInputs() {
        // A Renyi divergence is non-decreasing in its order. Random q from 1e-9 to 1 - 1e-12 and sigma from 0.1 to
        // 1000 (fixed seed); drops are allowed only at the rounding floor of values near zero.
        SplittableRandom random = new SplittableRandom(20261127);
        for (int k = 0; k < 150; k++) {
            double q = k % 5 == 0
                    ? 1 - Math.pow(10, -random.nextDouble(1, 12))
                    : Math.pow(10, -random.nextDouble(0, 9));
            double sigma = Math.pow(10, random.nextDouble(-1, 3));
            RdpOrders orders = k % 2 == 0 ? RdpOrders.DP_ACCOUNTING : RdpOrders.OPACUS;
            double largest = 0;
            for (int i = 0; i < orders.size(); i++) {
                double value = SampledGaussianRdp.rdp(q, sigma, orders.get(i));
                String what = "q " + q + ", sigma " + sigma + ", alpha " + orders.get(i);
                assertTrue(value >= 0 && value < Double.POSITIVE_INFINITY, what + ": " + value);
                assertTrue(value >= largest * (1 - 1e-9) - 1e-12, what + ": " + value + " after " + largest);
                largest = Math.max(largest, value);
            }
        }
    }

    @Nested
    class SpecialCases {

        @Test
        void noSamplingSpendsNothingEvenWithoutNoise() {
            assertEquals(0.0, SampledGaussianRdp.rdp(0, 0, 2));
            assertEquals(0.0, SampledGaussianRdp.rdp(0, 1, Double.POSITIVE_INFINITY));
        }

        @Test
        void noNoiseIsNoPrivacy() {
            assertEquals(Double.POSITIVE_INFINITY, SampledGaussianRdp.rdp(0.01, 0, 2));
            assertEquals(Double.POSITIVE_INFINITY, SampledGaussianRdp.rdp(1, 0, 2.5));
        }

        @Test
        void fullBatchIsTheGaussianMechanism() {
            assertEquals(2.5 / (2 * 1.5 * 1.5), SampledGaussianRdp.rdp(1, 1.5, 2.5));
            assertEquals(Double.POSITIVE_INFINITY, SampledGaussianRdp.rdp(1, 1.5, Double.POSITIVE_INFINITY));
        }

        @Test
        void infiniteOrderIsInfinite() {
            assertEquals(Double.POSITIVE_INFINITY, SampledGaussianRdp.rdp(0.01, 1, Double.POSITIVE_INFINITY));
        }

        @Test
        void samplingOnlyEverHelps() {
            for (double alpha : new double[] {1.5, 2, 4.5, 16}) {
                assertTrue(SampledGaussianRdp.rdp(0.999, 1.2, alpha) <= SampledGaussianRdp.rdp(1, 1.2, alpha),
                        "alpha " + alpha);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "-0.1, 1, 2, q", "1.1, 1, 2, q", "NaN, 1, 2, q",
        "0.1, -1, 2, sigma", "0.1, NaN, 2, sigma",
        "0.1, 1, 1, alpha", "0.1, 1, 0.5, alpha", "0.1, 1, NaN, alpha", "0.1, 1, 1e6, alpha"})
    void refusesBadInputNamingTheParameter(double q, double sigma, double alpha, String parameter) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> SampledGaussianRdp.rdp(q, sigma, alpha));
        assertTrue(thrown.getMessage().startsWith(parameter + " must be"), thrown.getMessage());
    }
}
