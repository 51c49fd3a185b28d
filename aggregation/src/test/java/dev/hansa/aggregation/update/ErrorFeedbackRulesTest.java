package dev.hansa.aggregation.update;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.aggregate.GroupAggregate;
import dev.hansa.aggregation.aggregate.RoundAggregate;
import dev.hansa.aggregation.round.RoundConfig;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.state.StateCodec;
import dev.hansa.aggregation.strategy.EstimateAccumulation;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.fedavg.FedAvg;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import dev.hansa.aggregation.update.transform.ErrorFeedback;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The error-feedback rules beside classic EF: decayed, EF21 and EControl, client and server halves together. */
class ErrorFeedbackRulesTest {

    private static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("w", new int[] {40}));
    private static final TrainingConfig TRAINING = new TrainingConfig(1, 0, 16, 0.05, Map.of());

    /**
     * Four clients minimise {@code ||x - b_i||^2 / 2} with one gradient step of 0.2 per round, each step sent as
     * {@code topk} (k = 10%) through the rule's transform, real frames and the server's {@link EstimateAccumulation}
     * over FedAvg. Every fifth round fails: the server closes nothing and the clients drop the state they prepared,
     * as the SDK does; every committed state goes through the bytes a restarted client reads back. Invariant: the
     * server's estimate is the mean of the clients' estimates, whatever failed. And the federation reaches the
     * optimum, the mean of the b_i.
     */
    @ParameterizedTest
    @CsvSource({"ef21, 0", "econtrol, 0.1"})
    void theServerEstimateIsTheMeanOfTheClientsOneThroughFailedRoundsAndRestarts(String rule, double strength) {
        UpdateSpec spec = RoundConfig.updateSpec(Map.of("codec", "topk", "k", 0.1, "errorFeedback", true,
                "errorFeedbackRule", rule, "errorFeedbackParams",
                rule.equals("econtrol") ? Map.of("strength", strength) : Map.of()));
        UpdatePipeline pipeline = UpdatePipeline.of(spec);
        Strategy server = new EstimateAccumulation(FedAvg.plain(TRAINING, 1.0));
        int n = 4;
        int d = SPEC.parameterCount();
        Random r = new Random(61);
        double[][] targets = new double[n][d];
        double[] optimum = new double[d];
        for (int c = 0; c < n; c++) {
            for (int i = 0; i < d; i++) {
                targets[c][i] = r.nextGaussian();
                optimum[i] += targets[c][i] / n;
            }
        }
        Tensors x = Tensors.zeros(SPEC);
        State serverState = server.initialState(x);
        State[] clients = new State[n];
        Arrays.fill(clients, State.EMPTY);
        double start = distance(x.values(), optimum);
        for (int t = 0; t < 1000; t++) {
            double[] sum = new double[d];
            State[] prepared = new State[n];
            for (int c = 0; c < n; c++) {
                float[] step = new float[d];
                for (int i = 0; i < d; i++) {
                    step[i] = (float) (-0.2 * (x.values()[i] - targets[c][i]));
                }
                long seed = 1000L * t + c;
                UpdatePipeline.Prepared p = pipeline.prepare(new Tensors(SPEC, step), clients[c], seed);
                UpdateCodec codec = pipeline.codec(seed);
                float[] decoded = codec.decode(MemorySegment.ofArray(codec.encode(p.update(), Map.of())), SPEC)
                        .values().values();
                for (int i = 0; i < d; i++) {
                    sum[i] += decoded[i];
                }
                prepared[c] = p.state();
            }
            if (t % 5 == 4) {
                continue; // the round failed: nothing closed, nothing committed
            }
            RoundAggregate aggregate = new RoundAggregate(Map.of(FedAvg.TRAIN,
                    new GroupAggregate(sum, n, n, n, Map.of())));
            RoundResult result = server.finishRound(new RoundContext(t, n, n, t), x, serverState, aggregate);
            x = result.model();
            serverState = StateCodec.decode(StateCodec.encode(result.state()));
            double[] meanEstimate = new double[d];
            for (int c = 0; c < n; c++) {
                clients[c] = StateCodec.decode(StateCodec.encode(prepared[c]));
                float[] estimate = clients[c].tensor(rule + ".estimate").orElseThrow().values();
                for (int i = 0; i < d; i++) {
                    meanEstimate[i] += estimate[i] / (double) n;
                }
            }
            float[] serverEstimate = serverState.tensor("feedbackEstimate." + FedAvg.TRAIN).orElseThrow().values();
            for (int i = 0; i < d; i++) {
                assertEquals(meanEstimate[i], serverEstimate[i], 1e-5 * (1 + Math.abs(meanEstimate[i])),
                        rule + " round " + t + " coordinate " + i);
            }
        }
        assertTrue(distance(x.values(), optimum) < 1e-3 * start, rule + ": " + distance(x.values(), optimum)
                + " of " + start);
    }

    @Test
    void eControlWithoutFeedbackStrengthIsEf21() {
        UpdatePipeline ef21 = UpdatePipeline.of(RoundConfig.updateSpec(Map.of("codec", "sign", "errorFeedback", true,
                "errorFeedbackRule", "ef21")));
        UpdatePipeline eControl = UpdatePipeline.of(RoundConfig.updateSpec(Map.of("codec", "sign",
                "errorFeedback", true, "errorFeedbackRule", "econtrol", "errorFeedbackParams", Map.of("strength", 0))));
        Random r = new Random(62);
        State a = State.EMPTY;
        State b = State.EMPTY;
        for (int t = 0; t < 20; t++) {
            Tensors u = UpdatePipelineTest.random(r, 1);
            UpdatePipeline.Prepared pa = ef21.prepare(new Tensors(SPEC, Arrays.copyOf(u.values(), 40)), a, t);
            UpdatePipeline.Prepared pb = eControl.prepare(new Tensors(SPEC, Arrays.copyOf(u.values(), 40)), b, t);
            assertArrayEquals(pa.update().values(), pb.update().values(), "round " + t);
            a = pa.state();
            b = pb.state();
        }
    }

    @Test
    void decayedFeedbackAddsTheDecayedResidualAndKeepsWhatTheCodecLost() {
        UpdatePipeline pipeline = UpdatePipeline.of(RoundConfig.updateSpec(Map.of("codec", "topk", "k", 4,
                "errorFeedback", true, "errorFeedbackRule", "decayed", "errorFeedbackParams", Map.of("decay", 0.5))));
        Random r = new Random(63);
        State state = State.EMPTY;
        float[] residual = new float[SPEC.parameterCount()];
        for (int t = 0; t < 10; t++) {
            float[] u = new float[SPEC.parameterCount()];
            for (int i = 0; i < u.length; i++) {
                u[i] = (float) r.nextGaussian();
            }
            UpdatePipeline.Prepared p = pipeline.prepare(new Tensors(SPEC, u), state, t);
            float[] sent = pipeline.codec(t).reconstruct(p.update()).values();
            float[] next = p.state().tensor("errorFeedback." + ErrorFeedback.RESIDUAL).orElseThrow().values();
            for (int i = 0; i < u.length; i++) {
                assertEquals((float) (u[i] + 0.5 * residual[i]), p.update().values()[i], 0f, "round " + t);
                assertEquals(p.update().values()[i] - sent[i], next[i], 0f, "round " + t);
            }
            residual = next;
            state = StateCodec.decode(StateCodec.encode(p.state()));
        }
    }

    @Test
    void theRuleAndItsParametersAreValidatedNamingTheField() {
        UpdateSpec decayed = RoundConfig.updateSpec(Map.of("codec", "sign", "errorFeedback", true,
                "errorFeedbackRule", "decayed"));
        assertEquals(Map.of("codec", "sign", "clipNorm", 0.0, "errorFeedback", true, "errorFeedbackRule", "decayed",
                "errorFeedbackParams", Map.of("decay", 0.95)), decayed.toMap(), "SparseLoCo's decay by default");
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("codec", "sign", "errorFeedback", true, "errorFeedbackRule", "ef22"),
                Map.of("codec", "sign", "errorFeedback", true, "errorFeedbackParams", Map.of("decay", 0.5)),
                Map.of("codec", "sign", "errorFeedback", true, "errorFeedbackRule", "decayed",
                        "errorFeedbackParams", Map.of("decay", 0)),
                Map.of("codec", "sign", "errorFeedback", true, "errorFeedbackRule", "econtrol",
                        "errorFeedbackParams", Map.of("strength", 2)),
                Map.of("codec", "sign", "errorFeedbackRule", "ef21"))) {
            String message = assertThrows(IllegalArgumentException.class, () -> RoundConfig.updateSpec(bad))
                    .getMessage();
            assertTrue(message.startsWith("update.errorFeedback"), bad + ": " + message);
        }
        String fedAmd = assertThrows(IllegalArgumentException.class, () -> RoundConfig.configure("fedamd", Map.of(),
                Map.of(), Map.of("codec", "sign", "errorFeedback", true, "errorFeedbackRule", "ef21"), Map.of(),
                new RoundConfig.Sampling("uniform", 1.0, 2, 10))).getMessage();
        assertTrue(fedAmd.startsWith("update.errorFeedbackRule"), fedAmd);
    }

    private static double distance(float[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }
}
