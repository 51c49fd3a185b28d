package dev.hansa.client.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.client.training.PerExampleClipping;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalDpConfigTest {

    @Test
    void readsTheSectionWithDefaults() {
        LocalDpConfig c = LocalDpConfig.fromMap(Map.of("noiseMultiplier", 1.1, "clip", 2), false);
        assertEquals(new LocalDpConfig(1.1, 2, 1e-5, Double.POSITIVE_INFINITY, PerExampleClipping.GHOST, false), c);
        LocalDpConfig naive = LocalDpConfig.fromMap(Map.of("noiseMultiplier", 0.5, "clip", 1, "delta", 1e-6,
                "epsilon", 8, "clipping", "naive"), true);
        assertEquals(new LocalDpConfig(0.5, 1, 1e-6, 8, PerExampleClipping.NAIVE, true), naive);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"noiseMultiplier, -1", "noiseMultiplier, 0", "clip, 0", "clip, -2", "delta, 0", "delta, 1",
            "epsilon, 0", "clipping, fast", "unknownField, 1"})
    void refusesABadFieldNamingIt(String field, String value) {
        Map<String, Object> section = new HashMap<>(Map.of("noiseMultiplier", 1.0, "clip", 1.0));
        section.put(field, field.equals("clipping") ? value : Double.parseDouble(value));
        var e = assertThrows(IllegalArgumentException.class, () -> LocalDpConfig.fromMap(section, false));
        assertTrue(e.getMessage().contains("privacy.local") && e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void requiresTheNoiseMultiplierAndTheClip() {
        var sigma = assertThrows(IllegalArgumentException.class, () -> LocalDpConfig.fromMap(Map.of("clip", 1), false));
        assertEquals("privacy.local.noiseMultiplier is required", sigma.getMessage());
        var clip = assertThrows(IllegalArgumentException.class,
                () -> LocalDpConfig.fromMap(Map.of("noiseMultiplier", 1), false));
        assertEquals("privacy.local.clip is required", clip.getMessage());
    }

    @Test
    void refusesADeltaNotBelowOneOverTheClientsExamples() {
        LocalDpConfig c = new LocalDpConfig(1, 1, 0.01, 5, PerExampleClipping.GHOST, false);
        c.checkExamples(99);
        var e = assertThrows(IllegalArgumentException.class, () -> c.checkExamples(100));
        assertTrue(e.getMessage().startsWith("privacy.local.delta"), e.getMessage());
    }
}
