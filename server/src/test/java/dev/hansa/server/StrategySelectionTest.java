package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.FederationFixture.randomDelta;
import static dev.hansa.server.FederationFixture.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.strategy.registry.Strategies;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Every strategy is chosen per federation through the admin API, bad hyperparameters are refused with a problem
 * detail naming the field, and every round records the strategy and the hyperparameters (defaults filled in) that
 * produced its model version.
 */
class StrategySelectionTest extends EmbeddedServerTest {

    /** The documented defaults (docs/algorithms.md) of each strategy's parameters, as a round records them. */
    private static final Map<String, Map<String, Object>> DEFAULTS = Map.ofEntries(
            Map.entry("fedavg", Map.of("serverLearningRate", 1.0, "weighting", "samples")),
            Map.entry("fedprox", Map.of("serverLearningRate", 1.0, "mu", 0.01, "weighting", "samples")),
            Map.entry("fedavgm", Map.of("serverLearningRate", 1.0, "serverMomentum", 0.9, "nesterov", false,
                    "weighting", "samples")),
            Map.entry("diloco", Map.of("serverLearningRate", 0.7, "serverMomentum", 0.9, "weighting", "samples")),
            Map.entry("streamingdiloco", Map.of("fragments", 2, "mixing", 0.5, "overlapSteps", 1,
                    "serverLearningRate", 0.7, "serverMomentum", 0.9, "weighting", "samples")),
            Map.entry("sparseloco", Map.of("serverLearningRate", 1.0, "weighting", "samples")),
            Map.entry("fetchsgd", Map.of("k", 0.01, "serverMomentum", 0.9, "serverLearningRate", 1.0,
                    "errorReset", "zero", "weighting", "samples")),
            Map.entry("fedadam", Map.of("serverLearningRate", 0.1, "beta1", 0.9, "beta2", 0.99, "tau", 0.001,
                    "weighting", "samples")),
            Map.entry("fedyogi", Map.of("serverLearningRate", 0.01, "beta1", 0.9, "beta2", 0.99, "tau", 0.001,
                    "weighting", "samples")),
            Map.entry("fedadagrad", Map.of("serverLearningRate", 0.1, "beta1", 0.0, "tau", 0.001,
                    "weighting", "samples")),
            Map.entry("fedspeed", Map.of("beta", 0.1, "rho", 0.1, "lrDecay", 0.998)),
            Map.entry("fedamd", Map.of("anchorSchedule", "constant", "anchorProbability", 0.2,
                    "serverLearningRate", 1.0, "anchorBatchSize", 0)),
            Map.entry("diff2", Map.of("restartPeriod", 10, "serverLearningRate", 1.0)));

    private Api.Reply create(String strategy, Map<String, Object> params, Map<String, Object> training) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "selection " + strategy);
        body.put("model", Map.of("architecture", "mlp",
                "params", Map.of("inputSize", 4, "hiddenLayers", List.of(3), "numClasses", 2)));
        body.put("strategy", Map.of("name", strategy, "params", params));
        body.put("training", training);
        body.put("schedule", Map.of("rounds", 1, "minClients", 1, "maxClients", 1));
        return api.post("/api/v1/admin/federations", ADMIN, body);
    }

    @Test
    void everyRegisteredStrategyIsDocumentedHere() {
        assertEquals(Strategies.names().stream().sorted().toList(), DEFAULTS.keySet().stream().sorted().toList());
    }

    @Test
    void eachRoundRecordsItsStrategyWithEveryDefaultFilledIn() {
        for (String strategy : Strategies.names()) {
            FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, strategy);
            f.start();
            orchestrator.tick();
            JsonNode round = f.rounds().getFirst();
            assertEquals(strategy, round.get("strategy").asString());
            assertEquals(DEFAULTS.get(strategy), Api.JSON.convertValue(round.get("strategyParams"), Map.class), strategy);
        }
    }

    @Test
    void aModelVersionLeadsToTheStrategyAndHyperparametersThatProducedIt() {
        Api.Reply created = create("fedadam", Map.of("beta1", 0.8, "serverLearningRate", 0.05), Map.of());
        assertEquals(201, created.status(), () -> new String(created.bytes()));
        String id = created.json().get("id").asString();
        assertEquals("fedadam", created.json().get("config").get("strategy").get("name").asString());
        String token = api.post("/api/v1/admin/federations/" + id + "/enrollment-tokens", ADMIN, Map.of("count", 1))
                .json().get("tokens").get(0).asString();
        String credential = api.post("/api/v1/enroll", token, Map.of()).json().get("credential").asString();
        api.post("/api/v1/client/heartbeat", credential, Map.of());
        api.post("/api/v1/admin/federations/" + id + "/start", ADMIN, null);
        orchestrator.tick();
        String roundId = api.get("/api/v1/client/assignment?waitSeconds=0", credential).json().get("roundId").asString();
        assertEquals(202, api.put("/api/v1/client/rounds/" + roundId + "/update", credential, upload(randomDelta(1), 5),
                "k").status());
        orchestrator.tick();

        Map<String, Object> expected = new HashMap<>(DEFAULTS.get("fedadam"));
        expected.putAll(Map.of("beta1", 0.8, "serverLearningRate", 0.05));
        // SQL: model version -> producing round -> strategy, the query docs/algorithms.md documents, verbatim.
        List<Map<String, Object>> rows = jdbc.sql("""
                        SELECT m.version, r.number, r.attempt, r.strategy, r.strategy_params, p.plan
                        FROM model_versions m
                        JOIN rounds r ON r.id = m.produced_by_round
                        JOIN round_participants p ON p.round_id = r.id AND p.state = 'ACCEPTED'
                        WHERE m.federation_id = :federation AND m.version = :version
                        ORDER BY p.ordinal;
                        """).param("federation", UUID.fromString(id)).param("version", 1).query().listOfRows();
        assertEquals(1, rows.size(), "one accepted participant");
        Map<String, Object> row = rows.getFirst();
        assertEquals("fedadam", row.get("strategy"));
        assertEquals(expected, Api.JSON.readValue(row.get("strategy_params").toString(), Map.class));
        assertEquals("fedadam", Api.JSON.readTree(row.get("plan").toString()).get("strategy").asString());
        assertEquals(List.of(1, 1), List.of(row.get("number"), row.get("attempt")));
        // REST: the models list names the producing round, the rounds list its strategy and parameters.
        JsonNode version = api.get("/api/v1/admin/federations/" + id + "/models", ADMIN).json().get(1);
        assertEquals(1, version.get("version").asInt());
        JsonNode producer = api.get("/api/v1/admin/federations/" + id + "/rounds", ADMIN).json().get(0);
        assertEquals(version.get("producedByRound").asString(), producer.get("id").asString());
        assertEquals(expected, Api.JSON.convertValue(producer.get("strategyParams"), Map.class));
        // The participant's plan holds the training settings it ran with.
        JsonNode plan = api.get("/api/v1/admin/rounds/" + roundId + "/participants", ADMIN).json().get(0).get("plan");
        assertEquals("fedadam", plan.get("strategy").asString());
        assertEquals(0.1, plan.get("learningRate").asDouble(), "fedadam's default local learning rate");
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "fedadam    | {\"beta1\": 1.5}                   | {}                                  | strategy.params.beta1",
            "fedyogi    | {\"tau\": 0}                       | {}                                  | strategy.params.tau",
            "fedavgm    | {\"serverMomentum\": 1}            | {}                                  | strategy.params.serverMomentum",
            "fedprox    | {\"mu\": -1}                       | {}                                  | strategy.params.mu",
            "fedavg     | {\"mu\": 0.1}                      | {}                                  | strategy.params: unknown field(s) [mu]",
            "fedavg     | {\"weighting\": \"equal\"}         | {}                                  | strategy.params.weighting",
            "fedspeed   | {\"rho\": -0.1}                    | {}                                  | strategy.params.rho",
            "fedspeed   | {\"lrDecay\": 1.5}                 | {}                                  | strategy.params.lrDecay",
            "fedspeed   | {}                                 | {\"params\": {\"momentum\": 0.9}}   | training.params: unknown field(s) [momentum]",
            "fedamd     | {\"anchorProbability\": 1.0}       | {}                                  | strategy.params.anchorProbability",
            "fedamd     | {\"anchorSchedule\": \"sometimes\"}| {}                                  | strategy.params.anchorSchedule",
            "fedamd     | {\"anchorSchedule\": \"period\"}   | {}                                  | strategy.params.anchorPeriod",
            "fedamd     | {\"anchorBatchSize\": 2.5}         | {}                                  | strategy.params.anchorBatchSize",
            "fedamd     | {}                                 | {\"params\": {\"weightDecay\": 0.1}}| training.params: unknown field(s) [weightDecay]",
            "fedavg     | {}                                 | {\"learningRate\": 0}               | training.learningRate",
            "fedavg     | {}                                 | {\"batchSize\": 0}                  | training.batchSize",
            "fedavg     | {}                                 | {\"params\": {\"gradientClipNorm\": -1}}    | training.params.gradientClipNorm",
            "diloco     | {\"serverMomentum\": 1}            | {}                                  | strategy.params.serverMomentum",
            "diloco     | {}                                 | {\"params\": {\"beta2\": 1}}        | training.params.beta2",
            "fedavgm    | {\"nesterov\": 1}                  | {}                                  | strategy.params.nesterov",
            "streamingdiloco | {\"mixing\": 1.5}              | {}                                  | strategy.params.mixing",
            "streamingdiloco | {\"overlapSteps\": 20}         | {}                                  | strategy.params.overlapSteps",
            "streamingdiloco | {\"fragments\": 0}             | {}                                  | strategy.params.fragments",
            "sparseloco | {\"serverMomentum\": 0.9}          | {}                                  | strategy.params: unknown field(s) [serverMomentum]",
            "fedfoo     | {}                                 | {}                                  | strategy.name"})
    @SuppressWarnings("unchecked")
    void aBadValueIsRefusedWithAProblemNamingTheField(String strategy, String params, String training, String field) {
        Api.Reply r = create(strategy, Api.JSON.readValue(params, Map.class), Api.JSON.readValue(training, Map.class));
        assertEquals(400, r.status(), () -> new String(r.bytes()));
        assertTrue(r.raw().headers().firstValue("Content-Type").orElse("").contains("application/problem+json"));
        // A member nobody reads is unknown-field (naming it in "field" too); a bad value is invalid-request.
        assertEquals(field.contains("unknown field") ? "unknown-field" : "invalid-request", r.reason());
        assertTrue(r.json().get("detail").asString().contains(field), r.json().get("detail").asString());
    }
}
