package dev.hansa.privacy.accounting;

import static dev.hansa.privacy.accounting.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The accountant against Opacus on a grid of (q, sigma, steps, delta) built for these tests. */
class RdpAccountantGridTest {

    /**
     * {q, sigma, steps, delta, improved epsilon, its order, classic epsilon, its order} with Opacus' orders, then
     * {improved epsilon, its order} with dp_accounting's orders. RDP from Opacus' {@code compute_rdp} (commit
     * 4d0ebc84, Debian's python3 with numpy 2.4.6 and scipy 1.17.1), converted with dp_accounting's
     * {@code compute_epsilon} rules; printed by {@code python3 privacy/src/test/python/reference_values.py
     * /tmp/opacus}. The grid covers q = 1, tiny q (1e-6), large sigma (100), many steps (10^6), zero steps, and cases
     * where the KL rule gives epsilon 0.
     */
    private static final double[][] OPACUS = {
        {1.0, 1.0, 1.0, 1e-05, 4.728507067217623, 5.4, 5.298526138535465, 5.8, 4.752728336819822, 5.0},
        {1.0, 5.0, 100.0, 1e-05, 10.725509696418232, 3.3, 11.59705227707093, 3.4, 10.767592761968732, 3.5},
        {1.0, 100.0, 1000000.0, 1e-06, 100.72147861104412, 1.5, 102.63102111592855, 1.5, 100.72147861104412, 1.5},
        {1e-06, 1.0, 1000.0, 1e-05, 0.2720164259655622, 28.0, 0.4317990519947779, 28.0, 0.2720164259655622, 28.0},
        {1e-06, 0.7, 1000000.0, 1e-05, 0.6657786283619271, 13.0, 0.959567115823925, 13.0, 0.6657786283619271, 13.0},
        {1e-06, 2.0, 1.0, 1e-05, 0.0, 1.1, 0.0, 1.1, 0.0, 1.25},
        {0.001, 1.0, 1000000.0, 1e-05, 6.497481025071314, 4.4, 7.178093186823061, 4.6, 6.5008220246819945, 4.5},
        {0.001, 0.8, 10000.0, 1e-06, 1.703625280575857, 8.2, 2.125919263583806, 8.2, 1.720122885906907, 8.0},
        {0.004, 1.1, 14062.0, 1e-05, 2.417002376317999, 8.6, 2.8110493482383534, 9.3, 2.42112668562173, 9.0},
        {0.01, 1.1, 10000.0, 1e-05, 5.63199236854841, 4.7, 6.278710279138394, 4.9, 5.638749942592472, 4.5},
        {0.01, 1.0, 1000.0, 1e-06, 2.4366938030221394, 8.0, 2.8667628772479468, 8.1, 2.4366938030221394, 8.0},
        {0.01, 3.0, 1000000.0, 1e-05, 21.164363663789597, 2.3, 22.332539091972833, 2.4, 21.198619558426962, 2.25},
        {0.01, 100.0, 1000000.0, 1e-05, 0.3753093881813061, 41.0, 0.484876265095352, 49.0, 0.3753093881813061, 41.0},
        {0.05, 0.9, 500.0, 1e-05, 10.289123053244953, 2.9, 11.272353976166265, 2.9, 10.318505004741791, 3.0},
        {0.1, 1.0, 100.0, 1e-05, 7.899255002434628, 3.2, 8.793778103814383, 3.3, 7.972921510380546, 3.0},
        {0.1, 100.0, 1000.0, 1e-05, 0.13438611844786352, 63.0, 0.21721121344578098, 63.0, 0.10868067612079652, 128.0},
        {0.3, 2.0, 50.0, 0.001, 4.350736857266215, 3.6, 5.154742933882689, 3.8, 4.3514818406203215, 3.5},
        {0.5, 1.5, 20.0, 1e-05, 9.18844367597222, 3.2, 10.080533071272058, 3.3, 9.242569048441514, 3.0},
        {0.02, 1.2, 0.0, 1e-05, 0.0, 1.1, 0.0, 1.1, 0.0, 1.25},
        {0.02, 60.0, 3.0, 0.1, 0.0, 1.1, 0.0, 1.1, 0.0, 1.25},
    };

    /** The bar is 0.5%; the math allows far better where epsilon is not a rounding-level quantity. */
    private static final double RELATIVE = 1e-9;

    @Test
    void improvedEpsilonAndOrderMatchOpacus() {
        for (double[] row : OPACUS) {
            PrivacySpent spent = accountant(row, RdpOrders.OPACUS, RdpConversion.IMPROVED).spent(row[3]);
            assertClose(row[4], spent.epsilon(), RELATIVE, 0, describe(row));
            assertEquals(row[5], spent.order(), describe(row));
        }
    }

    @Test
    void classicEpsilonAndOrderMatchOpacus() {
        for (double[] row : OPACUS) {
            PrivacySpent spent = accountant(row, RdpOrders.OPACUS, RdpConversion.CLASSIC).spent(row[3]);
            assertClose(row[6], spent.epsilon(), RELATIVE, 0, describe(row));
            assertEquals(row[7], spent.order(), describe(row));
        }
    }

    @Test
    void dpAccountingsOrdersMatchToo() {
        for (double[] row : OPACUS) {
            PrivacySpent spent = accountant(row, RdpOrders.DP_ACCOUNTING, RdpConversion.IMPROVED).spent(row[3]);
            assertClose(row[8], spent.epsilon(), RELATIVE, 0, describe(row));
            assertEquals(row[9], spent.order(), describe(row));
        }
    }

    private static RdpAccountant accountant(double[] row, RdpOrders orders, RdpConversion conversion) {
        return RdpAccountant.empty(orders, conversion).compose(row[0], row[1], (long) row[2]);
    }

    private static String describe(double[] row) {
        return "q " + row[0] + ", sigma " + row[1] + ", steps " + (long) row[2] + ", delta " + row[3];
    }
}
