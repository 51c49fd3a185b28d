package dev.hansa.aggregation.strategy.diloco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.round.RoundConfig;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.testing.QuadraticModel;
import dev.hansa.aggregation.testing.RoundDriver;
import dev.hansa.aggregation.testing.TestVectors;
import dev.hansa.aggregation.update.UpdateSpec;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SparseLoCoTest {

    static final RoundConfig.Sampling ALL = new RoundConfig.Sampling("uniform", 1.0, 3, 3);

    static UpdateSpec presetUpdate(Map<String, ?> update) {
        return RoundConfig.configure(SparseLoCo.NAME, Map.of(), Map.of(), update, Map.of(), ALL).protocol().update();
    }

    @Test
    void thePresetBringsTheOfficialCompressionAndAConfigMayOverrideIt() {
        UpdateSpec preset = presetUpdate(Map.of());
        assertEquals("sparseloco", preset.codec());
        assertEquals(Map.of("chunk", 64.0, "kPerChunk", 128.0), preset.params());
        assertTrue(preset.errorFeedback());
        assertEquals("decayed", preset.errorFeedbackRule());
        assertEquals(Map.of("decay", 0.95), preset.errorFeedbackParams());
        assertEquals(Map.of("serverLearningRate", 1.0, "weighting", "samples"),
                Strategies.configure(SparseLoCo.NAME, Map.of(), Strategies.defaultTraining(SparseLoCo.NAME))
                        .effectiveParams());
        assertEquals(15, Strategies.defaultTraining(SparseLoCo.NAME).localSteps());
        assertEquals(1e-3, Strategies.defaultTraining(SparseLoCo.NAME).learningRate());

        UpdateSpec decay = presetUpdate(Map.of("errorFeedbackParams", Map.of("decay", 0.9)));
        assertEquals(Map.of("decay", 0.9), decay.errorFeedbackParams());
        UpdateSpec plainCodec = presetUpdate(Map.of("codec", "sparseloco"));
        assertEquals(false, plainCodec.errorFeedback(), "a section that names its codec states its own update path");
        assertEquals("dense", RoundConfig.configure("diloco", Map.of(), Map.of(), Map.of(), Map.of(), ALL)
                .protocol().update().codec(), "a strategy without a preset keeps the plain default");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> presetUpdate(Map.of("errorFeedbackParams", Map.of("decay", 1.5))));
        assertTrue(e.getMessage().contains("update.errorFeedbackParams.decay"), e.getMessage());
    }

    /**
     * Three rounds against a double-precision recomputation. The clients' 5 parameters are two tensors of 1 and 4
     * entries, so the codec keeps k = max(1, rint(4 * 128 / 4096)) = 1 entry per tensor, which a single kept value
     * quantises exactly: the reference keeps each tensor's largest entry of {@code delta + 0.95 e}.
     */
    @Test
    void roundsEqualTheDoublePrecisionRecomputation() {
        Map<String, QuadraticModel> clients = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            clients.put("c" + i, QuadraticModel.random(4 + 3 * i, 5, 60 + i));
        }
        double[] x0 = {0.3, -0.2, 0.9, 0.1, -0.6};
        TrainingConfig training = new TrainingConfig(0, 3, 100, 0.05,
                Strategies.defaultTraining(SparseLoCo.NAME).params());
        RoundDriver driver = new RoundDriver(Strategies.create(SparseLoCo.NAME, Map.of(), training),
                new java.util.TreeMap<>(clients), TestVectors.of(clients.get("c0").spec(), x0), presetUpdate(Map.of()));
        driver.run(3);

        double[] x = x0.clone();
        Map<String, double[]> errors = new HashMap<>();
        AdamWReference inner = AdamWReference.diloco(0.05);
        for (int round = 0; round < 3; round++) {
            double[] sum = new double[x.length];
            double samples = 0;
            for (var c : clients.entrySet()) {
                double[] local = inner.run(c.getValue(), x, 3);
                double[] e = errors.computeIfAbsent(c.getKey(), k -> new double[x.length]);
                double[] corrected = new double[x.length];
                for (int j = 0; j < x.length; j++) {
                    corrected[j] = local[j] - x[j] + 0.95 * e[j];
                }
                double[] sent = new double[x.length];
                keepLargest(corrected, sent, 0, 1);
                keepLargest(corrected, sent, 1, 5);
                for (int j = 0; j < x.length; j++) {
                    e[j] = corrected[j] - sent[j];
                    sum[j] += c.getValue().numSamples() * sent[j];
                }
                samples += c.getValue().numSamples();
            }
            for (int j = 0; j < x.length; j++) {
                x[j] += sum[j] / samples;
            }
        }
        TestVectors.assertClose(x, driver.model().values(), 1e-5);
    }

    /** Copies the entry of largest magnitude in {@code [from, to)} of {@code v} into {@code out}. */
    private static void keepLargest(double[] v, double[] out, int from, int to) {
        int best = from;
        for (int j = from + 1; j < to; j++) {
            if (Math.abs(v[j]) > Math.abs(v[best])) {
                best = j;
            }
        }
        out[best] = v[best];
    }
}
