package dev.hansa.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.update.codec.UpdateCodecs;
import dev.hansa.server.federation.FederationConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    /** Every DP-FTRL field but the target epsilon, none at its default. */
    private static final String TREE = """
            {"name": "tree", "model": {"architecture": "mlp",
                                       "params": {"inputSize": 4, "hiddenLayers": [3], "numClasses": 2}},
             "strategy": {"name": "fedavg", "params": {"weighting": "uniform"}},
             "privacy": {"mechanism": "dp-ftrl", "noiseMultiplier": 4.0, "clipNorm": 1.0, "delta": 1e-5,
                         "clientsPerRound": 10, "tree": "plain", "restartEvery": 5, "restartWarmup": 2,
                         "maxParticipations": 2, "minSeparation": 1, "epsilon": 50.0},
             "schedule": {"rounds": 20, "sampler": "uniform", "clientFraction": 1.0, "minClients": 4}}
            """;
    /** DIFF2's two difference fields beside DP-FedAvg's. */
    private static final String DIFF2 = """
            {"name": "diff2", "model": {"architecture": "mlp",
                                        "params": {"inputSize": 4, "hiddenLayers": [3], "numClasses": 2}},
             "strategy": {"name": "diff2", "params": {"restartPeriod": 5}},
             "privacy": {"noiseMultiplier": 1.0, "differenceNoiseMultiplier": 2.0, "clipNorm": 1.0,
                         "differenceClipFactor": 3.0, "delta": 1e-5},
             "schedule": {"rounds": 10, "sampler": "poisson", "clientFraction": 1.0, "minClients": 4}}
            """;
    /** L-GreCo's section on top-k. */
    private static final String LGRECO = """
            {"name": "lgreco", "model": {"architecture": "mlp",
                                         "params": {"inputSize": 4, "hiddenLayers": [3], "numClasses": 2}},
             "strategy": {"name": "fedavg"},
             "update": {"codec": "topk", "k": 0.1, "errorFeedback": true, "lgreco": {"every": 3, "options": 7}},
             "schedule": {"rounds": 10}}
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
        for (String json : List.of(ROBUST, PRIVATE, FIXED_CLIP, TREE, DIFF2, LGRECO)) {
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
    void dpFtrlAndDiff2AndLGreCoBoxesReachTheirFieldsAndEmptyOnesStayAbsent() {
        FederationForm form = FederationForm.of(parse(TREE).toMap(), JSON);
        assertEquals("dp-ftrl", form.getDpMechanism());
        assertEquals("plain", form.getDpTree());
        assertEquals("10", form.getDpClientsPerRound());
        assertEquals("", form.getDpDifferenceClipFactor(), "DIFF2's fields are not DP-FTRL's");
        assertEquals("", form.getLgrecoEvery());

        form = new FederationForm();
        form.setName("lgreco");
        form.setLgrecoEvery("4");
        assertEquals(Map.of("every", 4L), ((Map<?, ?>) submit(form).get("update")).get("lgreco"),
                "the options box left empty stays out: the parser's default applies");
        form.setLgrecoEvery("");
        assertFalse(((Map<?, ?>) submit(form).get("update")).containsKey("lgreco"));
    }

    /** The strategy parameters box takes each new strategy's own parameters to the parser unchanged. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            diloco          | {"serverLearningRate":0.5,"serverMomentum":0.8,"weighting":"uniform"}
            streamingdiloco | {"fragments":3,"mixing":0.25,"overlapSteps":2,"serverLearningRate":0.5}
            sparseloco      | {"serverLearningRate":0.5,"weighting":"uniform"}
            """)
    void aStrategysParametersGoThroughTheParametersBox(String strategy, String params) {
        FederationForm form = new FederationForm();
        form.setName(strategy);
        form.setStrategy(strategy);
        form.setStrategyParams(params);
        FederationConfig config = FederationConfig.parse(JSON.writeValueAsBytes(submit(form)));
        Map<String, Object> typed = JSON.readValue(params, new TypeReference<Map<String, Object>>() { });
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = (Map<String, Object>) ((Map<String, Object>) config.toMap().get("strategy"))
                .get("params");
        typed.forEach((key, value) -> assertEquals(comparable(value), comparable(stored.get(key)),
                strategy + " " + key));
        FederationForm shown = FederationForm.of(config.toMap(), JSON);
        assertEquals(strategy, shown.getStrategy());
        assertEquals(config.toMap(), FederationConfig.parse(JSON.writeValueAsBytes(submit(shown))).toMap());
    }

    /** A number as a double (the parser may keep 3 as a long or an int), anything else as it is. */
    private static Object comparable(Object value) {
        return value instanceof Number n ? n.doubleValue() : value;
    }

    /** The codec box offers every registered codec; Streaming DiLoCo's 4-bit exchange takes its bucket as JSON. */
    @Test
    void everyCodecIsAChoiceAndE3m0TakesItsBucketThroughTheParametersBox() {
        List<String> codecs = new FederationFormController(null, null).choices().get("codec");
        assertEquals(UpdateCodecs.names(), codecs);
        assertTrue(codecs.contains("e3m0"), codecs::toString);
        FederationForm form = new FederationForm();
        form.setName("four bits");
        form.setStrategy("streamingdiloco");
        form.setCodec("e3m0");
        form.setCodecParams("{\"bucket\": 64}");
        FederationConfig config = FederationConfig.parse(JSON.writeValueAsBytes(submit(form)));
        @SuppressWarnings("unchecked")
        Map<String, Object> update = (Map<String, Object>) config.toMap().get("update");
        assertEquals("e3m0", update.get("codec"));
        assertEquals(Map.of("bucket", 64.0), Map.of("bucket", comparable(((Map<?, ?>) update.get("params"))
                .get("bucket"))));
        FederationForm shown = FederationForm.of(config.toMap(), JSON);
        assertEquals("e3m0", shown.getCodec());
        assertEquals(config.toMap(), FederationConfig.parse(JSON.writeValueAsBytes(submit(shown))).toMap());
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
        assertEquals(Optional.of("dpMechanism"),
                FederationForm.fieldOf("privacy.mechanism must be one of [dp-fedavg, dp-ftrl], got x"));
        assertEquals(Optional.of("dpRestartWarmup"),
                FederationForm.fieldOf("privacy.restartWarmup must be below privacy.restartEvery (5), got 7"));
        assertEquals(Optional.of("dpClientsPerRound"),
                FederationForm.fieldOf("privacy.clientsPerRound is required for DP-FTRL"));
        assertEquals(Optional.of("dpDifferenceClipFactor"),
                FederationForm.fieldOf("privacy.differenceClipFactor is required with strategy diff2"));
        assertEquals(Optional.of("lgrecoOptions"),
                FederationForm.fieldOf("update.lgreco.options: 4 tensors x 13 options = 52 error reports"));
        assertEquals(Optional.of("strategyParams"),
                FederationForm.fieldOf("strategy.params.mixing must be a number in [0, 1], got 1.5"));
        assertTrue(FederationForm.fieldOf("privacy: give exactly one of noiseMultiplier and targetEpsilon").isEmpty(),
                "about the section as a whole: above the form");
    }
}
