package dev.hansa.privacy.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RdpOrdersTest {

    @Test
    void opacusDefaultsAreTenthsUpTo10Point9ThenIntegersTo63() {
        assertEquals(99 + 52, RdpOrders.OPACUS.size());
        assertEquals(1.1, RdpOrders.OPACUS.get(0));
        assertEquals(1 + 47 / 10.0, RdpOrders.OPACUS.get(46), "4.7 as Opacus computes it");
        assertEquals(10.9, RdpOrders.OPACUS.get(98));
        assertEquals(12.0, RdpOrders.OPACUS.get(99));
        assertEquals(63.0, RdpOrders.OPACUS.get(150));
    }

    @Test
    void dpAccountingDefaultsAddQuartersAndLargeOrders() {
        assertEquals(10 + 59 + 3, RdpOrders.DP_ACCOUNTING.size());
        assertEquals(1.25, RdpOrders.DP_ACCOUNTING.get(0));
        assertEquals(4.5, RdpOrders.DP_ACCOUNTING.get(9));
        assertEquals(5.0, RdpOrders.DP_ACCOUNTING.get(10));
        assertEquals(63.0, RdpOrders.DP_ACCOUNTING.get(68));
        assertEquals(512.0, RdpOrders.DP_ACCOUNTING.get(71));
    }

    @Test
    void copiesInAndOut() {
        double[] values = {2, 3};
        RdpOrders orders = RdpOrders.of(values);
        values[0] = 7;
        orders.toArray()[1] = 9;
        assertEquals(RdpOrders.of(2, 3), orders);
    }

    @Test
    void refusesOrdersAtOrBelowOneAndEmptyLists() {
        assertThrows(IllegalArgumentException.class, RdpOrders::of);
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> RdpOrders.of(2, 1));
        assertTrue(one.getMessage().startsWith("orders must be > 1"), one.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RdpOrders.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> RdpOrders.of(2e5));
        assertEquals(Double.POSITIVE_INFINITY, RdpOrders.of(2, Double.POSITIVE_INFINITY).get(1));
    }
}
