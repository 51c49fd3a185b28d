package dev.hansa.server.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Durability is one named choice: the free-form database settings cannot undo it. */
class EmbeddedDatabaseSettingsTest {

    @Test
    void durableIsWhatPostgresqlDefaultsToAndFurtherSettingsAreAdded() {
        Map<String, String> settings = EmbeddedDatabaseConfiguration.serverSettings(Durability.DURABLE,
                Map.of("max_wal_size", "4GB"));
        assertEquals(Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on",
                "max_wal_size", "4GB"), settings);
    }

    @Test
    void theDurabilitySettingsCannotBeOverriddenOneByOne() {
        for (String name : new String[] {"fsync", "synchronous_commit", "FULL_PAGE_WRITES"}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> EmbeddedDatabaseConfiguration.serverSettings(Durability.DURABLE, Map.of(name, "off")));
            assertTrue(e.getMessage().contains("hansa.database-durability"), e.getMessage());
        }
    }
}
