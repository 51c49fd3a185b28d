package dev.hansa.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.aggregate.robust.Aggregators;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.update.UpdateSpec;
import dev.hansa.aggregation.update.lgreco.LGreCoSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class FederationOptionsTest {

    private static final FederationOptions.Defaults FROM_STRATEGY = FederationOptions.Defaults.fromStrategy(100, 100);
    private static final FederationOptions.Defaults OWN = new FederationOptions.Defaults(10, 20, "0.03", "32", "1", "0.9");

    private static FederationOptions read(FederationOptions.Defaults defaults, String... args) {
        Options options = FederationOptions.declare(new Options(), defaults);
        assertTrue(options.parse(args));
        return FederationOptions.read(options);
    }

    @Test
    void withoutTrainingFlagsTheStrategyDecidesTheTraining() {
        FederationOptions f = read(FROM_STRATEGY, "--strategy", "fedspeed");
        assertEquals(Map.of(), f.training());
        assertEquals(Strategies.defaultTraining("fedspeed"), f.trainingConfig());
        assertEquals(new FederationOptions("fashion-mnist", "dirichlet:0.5", 1, 1, 100, 100, "mlp", List.of(200),
                Map.of("inputChannels", 1, "inputHeight", 28, "inputWidth", 28, "convChannels", List.of(20, 50),
                        "kernelSize", 5), "fedspeed", Map.of(), Map.of(), Map.of(),
                Map.of("aggregator", "mean", "aggregatorParams", Map.of(), "preAggregators", List.of(), "f", 0,
                        "maxUpdateNorm", 0.0, "onNormExceeded", "reject"), "uniform", 1, ""), f);
    }

    @Test
    void aCommandsOwnDefaultsMakeTheTrainingSectionAndFlagsOverrideThem() {
        assertEquals(Map.of("learningRate", 0.03, "batchSize", 32, "localEpochs", 1, "params", Map.of("momentum", 0.9)),
                read(OWN).training());
        FederationOptions f = read(OWN, "--lr", "0.2", "--steps", "7", "--gradient-clip-norm", "5", "--weight-decay", "0.001");
        assertEquals(new TrainingConfig(1, 7, 32, 0.2,
                Map.of(TrainingConfig.MOMENTUM, 0.9, TrainingConfig.GRADIENT_CLIP_NORM, 5.0, TrainingConfig.WEIGHT_DECAY, 0.001)),
                f.trainingConfig());
    }

    @Test
    void momentumZeroIsLeftOutSoStrategiesWithoutMomentumAccept() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> read(OWN, "--strategy", "fedamd").rounds(1.0, 1, 1));
        assertTrue(refused.getMessage().contains("momentum"), refused.getMessage());
        FederationOptions f = read(OWN, "--strategy", "fedamd", "--momentum", "0");
        assertEquals(Map.of("learningRate", 0.03, "batchSize", 32, "localEpochs", 1), f.training());
        f.rounds(1.0, 1, 1);
    }

    @Test
    void strategyParametersAreNumbersOrWordsAndMayRepeat() {
        FederationOptions f = read(FROM_STRATEGY, "--strategy", "fedamd", "--strategy-param", "anchorSchedule=sequential",
                "--strategy-param", "serverLearningRate=0.5");
        assertEquals(Map.of("anchorSchedule", "sequential", "serverLearningRate", 0.5), f.strategyParams());
        f.rounds(1.0, 1, 1);
    }

    @Test
    void theMlpGetsItsHiddenWidthsAndSoftmaxNone() {
        FederationOptions mlp = read(FROM_STRATEGY, "--hidden", "64, 32");
        assertEquals(List.of(64, 32), mlp.hidden());
        FederationOptions softmax = read(FROM_STRATEGY, "--model", "softmax", "--hidden", "64");
        var data = softmax.loadData(notice -> { });
        assertEquals(Map.of("inputSize", data.featureCount(), "numClasses", data.numClasses()), softmax.modelParams(data));
        assertEquals(Map.of("inputSize", data.featureCount(), "hiddenLayers", List.of(64, 32), "numClasses",
                data.numClasses()), mlp.modelParams(data));
    }

    @Test
    void sparseCodecsTakeTheirSizeFromCodecK() {
        FederationOptions f = read(FROM_STRATEGY, "--codec", "topk", "--codec-k", "0.01", "--error-feedback", "true");
        assertEquals(Map.of("codec", "topk", "errorFeedback", true, "k", 0.01), f.update());
        f.rounds(1.0, 1, 1);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> read(FROM_STRATEGY, "--codec", "randk").rounds(1.0, 1, 1));
        assertTrue(missing.getMessage().contains("update.k"), missing.getMessage());
    }

    @Test
    void updateFlagsLeftOutLeaveTheStrategysPresetInPlace() {
        FederationOptions plain = read(FROM_STRATEGY, "--strategy", "sparseloco");
        assertEquals(Map.of(), plain.update());
        assertEquals("sparseloco", plain.rounds(1.0, 1, 1).protocol().update().codec());
        assertEquals("decayed", plain.rounds(1.0, 1, 1).protocol().update().errorFeedbackRule());
        FederationOptions dense = read(FROM_STRATEGY, "--strategy", "sparseloco", "--codec", "dense");
        assertEquals(UpdateSpec.DENSE, dense.rounds(1.0, 1, 1).protocol().update(),
                "a command that names a codec states the whole update path");
        assertEquals(Map.of("nesterov", true), read(FROM_STRATEGY, "--strategy", "fedavgm", "--strategy-param",
                "nesterov=true").strategyParams());
        FederationOptions adamW = read(FROM_STRATEGY, "--strategy", "diloco", "--training-params",
                "beta2=0.999,epsilon=1e-6", "--gradient-clip-norm", "0");
        assertEquals(Map.of("beta2", 0.999, "epsilon", 1e-6, "gradientClipNorm", 0.0),
                adamW.training().get("params"));
        assertEquals(0.999, adamW.trainingConfig().params().get("beta2"));
        assertEquals(0.1, adamW.trainingConfig().params().get("weightDecay"), "the strategy's other defaults stay");
    }

    @Test
    void lgrecoFlagsFillTheUpdateSectionsLgrecoObject() {
        FederationOptions f = read(FROM_STRATEGY, "--codec", "topk", "--codec-k", "0.01", "--lgreco-every", "5",
                "--lgreco-options", "3");
        assertEquals(Map.of("every", 5, "options", 3), f.update().get("lgreco"));
        assertEquals(new LGreCoSettings(5, 3), f.rounds(1.0, 1, 1).protocol().update().lgreco());
        IllegalArgumentException randk = assertThrows(IllegalArgumentException.class, () -> read(FROM_STRATEGY,
                "--codec", "randk", "--codec-k", "0.01", "--lgreco-every", "5").rounds(1.0, 1, 1));
        assertTrue(randk.getMessage().startsWith("update.lgreco"), randk.getMessage());
    }

    @Test
    void codecParametersComeFromCodecParams() {
        FederationOptions f = read(FROM_STRATEGY, "--codec", "qsgd", "--codec-params", "levels=4,bucket=256");
        assertEquals(Map.of("codec", "qsgd", "params", Map.of("levels", 4L, "bucket", 256L)), f.update());
        assertEquals(Map.of("levels", 4.0, "bucket", 256.0),
                f.rounds(1.0, 1, 1).protocol().update().params());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> read(FROM_STRATEGY, "--codec", "qsgd", "--codec-params", "levels=4,bits=2").rounds(1.0, 1, 1));
        assertTrue(unknown.getMessage().startsWith("update.params: unknown field(s) [bits]"), unknown.getMessage());
        assertEquals(Map.of("bucket", 512.0), read(FROM_STRATEGY, "--codec", "e3m0").rounds(1.0, 1, 1).protocol()
                .update().params(), "e3m0 with its default bucket");
        FederationOptions ef = read(FROM_STRATEGY, "--codec", "sign", "--error-feedback", "true",
                "--error-feedback-rule", "decayed", "--error-feedback-params", "decay=0.9");
        assertEquals(Map.of("decay", 0.9), ef.rounds(1.0, 1, 1).protocol().update().errorFeedbackParams());
    }

    @Test
    void robustnessFlagsMakeTheRobustnessSectionTheRestApiTakes() {
        FederationOptions f = read(FROM_STRATEGY, "--aggregator", "median", "--f", "1", "--pre-aggregators",
                "bucketing:bucketSize=2", "--max-update-norm", "5", "--on-norm-exceeded", "clip");
        @SuppressWarnings("unchecked")
        Map<String, Object> rest = JsonMapper.builder().build().readValue("""
                {"aggregator": "median", "f": 1, "preAggregators": [{"name": "bucketing", "bucketSize": 2}],
                 "maxUpdateNorm": 5, "onNormExceeded": "clip"}""", Map.class);
        assertEquals(Aggregators.robustness(rest).toMap(),
                Aggregators.robustness(f.robustness()).toMap());
        f.rounds(1.0, 6, 6);
    }

    @Test
    void parameterListsAreTypedLikeJson() {
        assertEquals(Map.of("m", 5L, "tau", 0.5, "exact", true, "rule", "paper", "tiny", 1e-3),
                ParamList.parameters("--x", "m=5,tau=0.5,exact=true,rule=paper,tiny=1e-3"));
        assertEquals(List.of(Map.of("name", "clipping", "c", 2L), Map.of("name", "nnm"),
                Map.of("name", "bucketing", "bucketSize", 3L, "shuffle", false)),
                ParamList.chain("--pre-aggregators", "clipping:c=2,nnm,bucketing:bucketSize=3:shuffle=false"));
        assertEquals(Map.of(), ParamList.parameters("--x", ""));
        assertEquals(List.of(), ParamList.chain("--x", ""));
    }

    @Test
    void robustnessErrorsNameTheFlagOrTheConfigField() {
        assertMessage("--aggregator-params must be k=v[,k=v...]: m:5", "--aggregator-params", "m:5");
        assertMessage("--aggregator-params names m twice: m=1,m=2", "--aggregator-params", "m=1,m=2");
        assertMessage("--pre-aggregators must be NAME[:k=v[:k=v...]][,NAME...]: bucketing,,nnm",
                "--pre-aggregators", "bucketing,,nnm");
        assertMessage("--pre-aggregators must be NAME[:k=v[:k=v...]][,NAME...]: bucketing:bucketSize",
                "--pre-aggregators", "bucketing:bucketSize");
        assertMessage("--f must be an integer: two", "--f", "two");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> read(FROM_STRATEGY, "--aggregator", "median", "--aggregator-params", "m=3").rounds(1.0, 4, 4));
        assertTrue(unknown.getMessage().startsWith("robustness.aggregatorParams: unknown field(s) [m]"),
                unknown.getMessage());
        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
                () -> read(FROM_STRATEGY, "--aggregator", "median", "--f", "2").rounds(1.0, 4, 4));
        assertTrue(tooFew.getMessage().contains("n > 2f"), tooFew.getMessage());
    }

    @Test
    void badValuesNameTheFlag() {
        assertMessage("--lr must be a number: fast", "--lr", "fast");
        assertMessage("--batch must be an integer: 3.5", "--batch", "3.5");
        assertMessage("--hidden must be integers separated by commas: 200,x", "--hidden", "200,x");
        assertMessage("--strategy-param must be k=v: mu", "--strategy-param", "mu");
        assertMessage("--seed must be an integer: one", "--seed", "one");
    }

    private static void assertMessage(String message, String... args) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> read(FROM_STRATEGY, args)).getMessage());
    }

    @Test
    void helpSaysWhichDefaultsAreTheStrategys() {
        String fromStrategy = FederationOptions.declare(new Options(), FROM_STRATEGY).usage("x");
        String own = FederationOptions.declare(new Options(), OWN).usage("x");
        assertTrue(fromStrategy.lines().anyMatch(l -> l.matches("\\s+--lr\\s+local learning rate \\(default: the strategy's\\)")),
                fromStrategy);
        assertTrue(own.lines().anyMatch(l -> l.matches("\\s+--lr\\s+local learning rate \\(default: 0.03\\)")), own);
        assertFalse(fromStrategy.contains("(default: )"), fromStrategy);
    }
}
