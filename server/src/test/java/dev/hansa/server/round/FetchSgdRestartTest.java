package dev.hansa.server.round;

import static dev.hansa.server.FederationFixture.randomDelta;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.aggregate.RoundAggregation;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.state.StateCodec;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.fetchsgd.FetchSgd;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.Update;
import dev.hansa.aggregation.update.UpdateSpec;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import dev.hansa.server.Api;
import dev.hansa.server.EmbeddedServerTest;
import dev.hansa.server.FederationFixture;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A FetchSGD federation on the server: the round sums the uploaded sketch tables (rebuilt from the stored uploads
 * when the server lost its running sum), and the sketch-space momentum and error persist with each model version,
 * so two rounds with a crash in each end where the strategy computed in process ends.
 */
class FetchSgdRestartTest extends EmbeddedServerTest {

    private static final Map<String, Object> STRATEGY = Map.of("k", 5, "serverMomentum", 0.5);
    private static final Map<String, Object> UPDATE = Map.of("params", Map.of("rows", 3, "columns", 8, "hashSeed", 5));

    @Autowired
    RunningAggregates aggregates;

    /** Ticks until the client holds an assignment: the round after a close may open on a later tick. */
    private void awaitAssignment(FederationFixture f, int client) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            if ("ASSIGNED".equals(f.assignment(f.clients.get(client)).json().get("state").asString())) {
                return;
            }
            orchestrator.tick();
            Thread.sleep(20);
        }
        throw new AssertionError("no round was assigned to client " + client);
    }

    private Api.Reply put(FederationFixture f, int client, byte[] body, String key) {
        String round = f.roundIdOf(f.clients.get(client));
        return api.put("/api/v1/client/rounds/" + round + "/update", f.clients.get(client).credential(), body, key);
    }

    private State storedState(FederationFixture f, int version) {
        return StateCodec.decode(jdbc.sql(
                        "SELECT strategy_state FROM model_versions WHERE federation_id = :f AND version = :v")
                .param("f", UUID.fromString(f.federationId)).param("v", version).query(byte[].class).single());
    }

    @Test
    void twoRoundsWithACrashInEachEndWhereTheStrategyInProcessEnds() throws InterruptedException {
        Map<String, Object> config = FederationFixture.config(2, 2, 60, 1.0, "fetchsgd");
        config.put("strategy", Map.of("name", "fetchsgd", "params", STRATEGY));
        config.put("update", UPDATE);
        FederationFixture f = new FederationFixture(api, 2, config);
        f.start();
        orchestrator.tick();
        JsonNode update = f.rounds().getFirst().get("pipeline").get("update");
        assertEquals("fetchsgd", update.get("codec").asString());
        assertEquals(8, update.get("params").get("columns").asInt());

        UpdateSpec spec = new UpdateSpec("fetchsgd", 0, false, 0, Map.of("rows", 3.0, "columns", 8.0, "hashSeed", 5.0));
        Strategy strategy = Strategies.create("fetchsgd", STRATEGY).forUpdate(spec);
        UpdateCodec codec = spec.createCodec();
        Tensors model = f.latestModel();
        State state = strategy.initialState(model);
        for (int round = 1; round <= 2; round++) {
            Tensors d1 = randomDelta(10 + round);
            Tensors d2 = randomDelta(20 + round);
            Map<String, String> meta1 = Map.of("num_samples", "5");
            Map<String, String> meta2 = Map.of("num_samples", "15");
            awaitAssignment(f, 0);
            awaitAssignment(f, 1);
            assertEquals(202, put(f, 0, codec.encode(d1, meta1), "a" + round).status());
            aggregates.clear(); // what a crash does to memory; PostgreSQL keeps the accepted upload
            assertEquals(202, put(f, 1, codec.encode(d2, meta2), "b" + round).status());
            orchestrator.tick();

            AggregationPipeline pipeline = new AggregationPipeline(AggregationPipeline.Settings.DEFAULT,
                    strategy.weighting());
            RoundAggregation expected = pipeline.start(codec.decodedSpec(model.spec()), 0);
            expected.add(pipeline.admit(new Update("a", FetchSgd.TRAIN, codec.reconstruct(d1), 5, Map.of()), 5));
            expected.add(pipeline.admit(new Update("b", FetchSgd.TRAIN, codec.reconstruct(d2), 15, Map.of()), 15));
            RoundResult result = strategy.finishRound(new RoundContext(round, 2, 2, 0), model, state,
                    expected.result());
            model = result.model();
            state = result.state();
            assertArrayEquals(model.values(), f.latestModel().values(), "model after round " + round);
            State stored = storedState(f, round);
            for (String table : List.of(FetchSgd.MOMENTUM, FetchSgd.ERROR)) {
                assertArrayEquals(state.tensor(table).orElseThrow().values(),
                        stored.tensor(table).orElseThrow().values(), table + " after round " + round);
            }
        }
    }
}
