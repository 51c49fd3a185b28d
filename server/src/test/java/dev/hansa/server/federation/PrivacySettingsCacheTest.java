package dev.hansa.server.federation;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.privacy.accounting.NoiseMultiplierPlanner;
import dev.hansa.server.Api;
import dev.hansa.server.EmbeddedServerTest;
import dev.hansa.server.FederationFixture;
import dev.hansa.server.system.HansaProblem;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The DP settings the console's live card polls: what parsing and planning the stored config gives, derived once
 * per config version, and derived again after an edit through the API or one made directly in the database.
 */
class PrivacySettingsCacheTest extends EmbeddedServerTest {

    private static final double DELTA = 1e-5;

    @Autowired
    FederationService federations;

    private static Map<String, Object> config(Map<String, Object> privacy) {
        Map<String, Object> config = FederationFixture.config(4, 50, 60, 1.0, "fedavg");
        config.put("strategy", Map.of("name", "fedavg", "params", Map.of("weighting", "uniform")));
        config.put("schedule", Map.of("rounds", 50, "minClients", 4, "sampler", "poisson", "clientFraction", 0.5));
        if (privacy != null) {
            config.put("privacy", privacy);
        }
        return config;
    }

    private UUID create(Map<String, Object> privacy) {
        Api.Reply created = api.post("/api/v1/admin/federations", ADMIN, config(privacy));
        assertEquals(201, created.status(), () -> new String(created.bytes()));
        return UUID.fromString(created.json().get("id").asString());
    }

    /** What the stored config gives when parsed and configured afresh: the reference. */
    private DpSettings derived(UUID id) {
        return DpSettings.of(federations.require(id).config().rounds().protocol()).orElseThrow();
    }

    @Test
    void aTargetEpsilonIsPlannedOnceAndTheSettingsAreReusedUntilTheConfigChanges() {
        UUID id = create(new HashMap<>(Map.of("targetEpsilon", 3.0, "clipNorm", 1.0, "delta", DELTA)));
        DpSettings first = federations.privacySettings(id).orElseThrow();
        assertEquals(new NoiseMultiplierPlanner().noiseMultiplier(0.5, 50, 3.0, DELTA), first.noiseMultiplier());
        assertEquals(derived(id), first);
        assertSame(first, federations.privacySettings(id).orElseThrow(), "the second poll reuses the first's");

        Api.Reply patched = api.send("PATCH", "/api/v1/admin/federations/" + id + "/config", ADMIN,
                "application/merge-patch+json", Map.of("privacy", Map.of("targetEpsilon", 5.0)));
        assertEquals(200, patched.status(), () -> new String(patched.bytes()));
        DpSettings edited = federations.privacySettings(id).orElseThrow();
        assertEquals(new NoiseMultiplierPlanner().noiseMultiplier(0.5, 50, 5.0, DELTA), edited.noiseMultiplier());
        assertEquals(derived(id), edited);
        assertSame(edited, federations.privacySettings(id).orElseThrow());
    }

    @Test
    void aConfigChangedBehindTheServicesBackIsSeenByItsVersion() {
        UUID id = create(new HashMap<>(Map.of("noiseMultiplier", 1.0, "clipNorm", 1.0, "delta", DELTA,
                "epsilon", 8.0)));
        DpSettings before = federations.privacySettings(id).orElseThrow();
        assertEquals(8.0, before.epsilon());
        jdbc.sql("UPDATE federations SET config = jsonb_set(config, '{privacy,epsilon}', '9.5') WHERE id = :id")
                .param("id", id).update();
        DpSettings after = federations.privacySettings(id).orElseThrow();
        assertNotSame(before, after);
        assertEquals(9.5, after.epsilon());
        assertEquals(derived(id), after);
    }

    @Test
    void aFederationWithoutDpHasNoneAndADeletedOneIsUnknown() {
        UUID id = create(null);
        assertTrue(federations.privacySettings(id).isEmpty());
        assertEquals(204, api.delete("/api/v1/admin/federations/" + id, ADMIN).status());
        HansaProblem gone = assertThrows(HansaProblem.class, () -> federations.privacySettings(id));
        assertEquals("unknown-federation", gone.reason());
    }
}
