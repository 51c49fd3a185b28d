package dev.hansa.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.server.federation.FederationConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.Errors;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The config form against the config parser: a stored config shown in the form and sent back unchanged is the same
 * config, for every field the form has; empty boxes leave their field, and an empty section its section, out.
 */
class FederationFormTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Every field of the update and robustness sections set, none at its default. */
    private static final String ROBUST = """
            {"name": "every field", "seed": 7,
             "model": {"architecture": "mlp", "params": {"inputSize": 4, "hiddenLayers": [3], "numClasses": 2},
                       "seed": 42},
             "strategy": {"name": "fedavg", "params": {"serverLearningRate": 0.5}},
             "training": {"localEpochs": 0, "localSteps": 5, "batchSize": 16, "learningRate": 0.05,
                          "params": {"momentum": 0.9}},
             "update": {"codec": "countsketch", "k": 0.25, "params": {"columns": 64, "rows": 3}, "clipNorm": 5.0,
                        "errorFeedback": true, "errorFeedbackRule": "decayed", "errorFeedbackParams": {"decay": 0.9}},
             "robustness": {"aggregator": "trimmed-mean", "f": 1, "aggregatorParams": {"trim": 1},
                            "preAggregators": [{"name": "bucketing", "bucketSize": 2}], "maxUpdateNorm": 10.0,
                            "onNormExceeded": "clip", "maxSamplesPerUpdate": 1000},
             "schedule": {"rounds": 12, "sampler": "uniform", "clientFraction": 0.5, "minClients": 8,
                          "maxClients": 20, "roundDeadlineSeconds": 90, "quorumFraction": 0.75, "maxAttempts": 4}}
            """;
    /** Every field of the privacy section but the noise multiplier (the alternative to a target epsilon). */
    private static final String PRIVATE = """
            {"name": "private", "model": {"architecture": "mlp",
                                          "params": {"inputSize": 4, "hiddenLayers": [3], "numClasses": 2}},
             "strategy": {"name": "fedavg", "params": {"weighting": "uniform"}},
             "privacy": {"targetEpsilon": 8.0, "epsilon": 10.0, "delta": 1e-5, "clipNorm": 0.5,
                         "adaptiveClipping": true, "targetQuantile": 0.6, "clipLearningRate": 0.1,
                         "clippedCountStddev": 2.0, "samplingRate": 0.5, "denominator": "actual"},
             "schedule": {"rounds": 20, "sampler": "poisson", "clientFraction": 0.5, "minClients": 4}}
            """;
    private static final String FIXED_CLIP = """
            {"name": "fixed clip", "model": {"architecture": "mlp",
                                             "params": {"inputSize": 4, "hiddenLayers": [3], "numClasses": 2}},
             "strategy": {"name": "fedavg", "params": {"weighting": "uniform"}},
             "privacy": {"noiseMultiplier": 1.1, "clipNorm": 1.0, "delta": 1e-5},
             "schedule": {"rounds": 20, "sampler": "poisson", "clientFraction": 1.0, "minClients": 2}}
            """;

    private static FederationConfig parse(String json) {
        return FederationConfig.parse(JSON.readValue(json, new TypeReference<Map<String, Object>>() { }));
    }

    private static Map<String, Object> submit(FederationForm form) {
        Errors errors = new BeanPropertyBindingResult(form, "form");
        Optional<Map<String, Object>> config = form.toConfig(JSON, errors);
        assertFalse(errors.hasErrors(), () -> errors.getAllErrors().toString());
        return config.orElseThrow();
    }

    @Test
    void aStoredConfigShownInTheFormAndSentBackIsTheSameConfigForEveryField() {
        Set<String> shown = new TreeSet<>();
        for (String json : List.of(ROBUST, PRIVATE, FIXED_CLIP)) {
            FederationConfig stored = parse(json);
            FederationForm form = FederationForm.of(stored.toMap(), JSON);
            FederationConfig back = FederationConfig.parse(JSON.writeValueAsBytes(submit(form)));
            assertEquals(stored.toMap(), back.toMap(), json);
            var fields = new BeanWrapperImpl(form);
            FederationForm.BINDINGS.stream().filter(b -> !((String) fields.getPropertyValue(b.field())).isEmpty())
                    .forEach(b -> shown.add(b.field()));
        }
        Set<String> all = new TreeSet<>(FederationForm.BINDINGS.stream().map(FederationForm.Binding::field).toList());
        assertEquals(all, shown, "the configs above fill every box of the form");
    }

    @Test
    void aCustomModelIsAChoiceSoThatEditingOneKeepsIt() {
        List<String> architectures = new FederationFormController(null, null).choices().get("architecture");
        assertTrue(architectures.contains(FederationConfig.CUSTOM), architectures::toString);
        FederationConfig custom = parse("""
                {"name": "uploaded", "model": {"architecture": "custom"}, "strategy": {"name": "fedavg"},
                 "schedule": {"rounds": 3}}
                """);
        FederationForm form = FederationForm.of(custom.toMap(), JSON);
        assertEquals("custom", form.getArchitecture());
        assertEquals("", form.getModelParams());
        assertEquals(custom.toMap(), FederationConfig.parse(JSON.writeValueAsBytes(submit(form))).toMap());
    }

    @Test
    void numbersShowAsTheyAreTypedAndRealsStayReal() {
        FederationForm form = FederationForm.of(parse(PRIVATE).toMap(), JSON);
        assertEquals("0.00001", form.getDpDelta());
        assertEquals("8.0", form.getDpTargetEpsilon());
        assertEquals("0.5", form.getClientFraction());
        assertEquals("20", form.getRounds());
        assertEquals("true", form.getDpAdaptiveClipping());
        assertEquals("{\"weighting\":\"uniform\"}", form.getStrategyParams());
    }

    @Test
    void emptyPrivacyBoxesLeaveThePrivacySectionOutAndAFilledOneIsKeptAsTyped() {
        FederationForm form = new FederationForm();
        form.setName("plain");
        assertFalse(submit(form).containsKey("privacy"));
        assertTrue(FederationConfig.parse(JSON.writeValueAsBytes(submit(form))).privacy().isEmpty());

        form.setDpNoiseMultiplier("1.0");
        form.setDpClipNorm("1");
        assertEquals(Map.of("noiseMultiplier", 1.0, "clipNorm", 1L), submit(form).get("privacy"),
                "only what was typed: the parser then names what is missing");
    }

    @Test
    void aPrivacyMessageIsShownBesideItsBox() {
        assertEquals(Optional.of("dpDelta"),
                FederationForm.fieldOf("privacy.delta is required (the delta epsilon is reported at)"));
        assertEquals(Optional.of("dpSamplingRate"),
                FederationForm.fieldOf("privacy.samplingRate 0.5 differs from the Poisson sampler's rate 1.0"));
        assertEquals(Optional.of("dpAdaptiveClipping"),
                FederationForm.fieldOf("privacy.adaptiveClipping: targetQuantile, ... apply to adaptive clipping"));
        assertEquals(Optional.of("codecParams"), FederationForm.fieldOf("update.params.levels is required for qsgd"));
        assertEquals(Optional.of("errorFeedbackRule"),
                FederationForm.fieldOf("update.errorFeedbackRule must be one of [classic], got x"));
        assertTrue(FederationForm.fieldOf("privacy: give exactly one of noiseMultiplier and targetEpsilon").isEmpty(),
                "about the section as a whole: above the form");
    }
}
