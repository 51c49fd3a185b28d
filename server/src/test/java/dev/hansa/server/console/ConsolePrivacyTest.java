package dev.hansa.server.console;

import static dev.hansa.server.FederationFixture.randomDelta;
import static dev.hansa.server.FederationFixture.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.privacy.accounting.RdpAccountant;
import dev.hansa.privacy.accounting.TreeAccountant;
import dev.hansa.privacy.accounting.TreeAggregationEvent;
import dev.hansa.server.EmbeddedServerTest;
import dev.hansa.server.Eventually;
import dev.hansa.server.FederationFixture;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A DP federation's page shows the epsilon its privacy ledger spent against the budget, and plots it per round, for
 * DP-FedAvg and DP-FTRL; the expected epsilons come from composing the rounds' sampled Gaussian events, or the
 * trees, in the privacy module's accountants.
 */
class ConsolePrivacyTest extends EmbeddedServerTest {

    private static final double DELTA = 1e-5;
    private static final double SIGMA = 1.2;
    private static final double BUDGET = 40;
    private static final Pattern SERIES = Pattern.compile("data-series=\"([^\"]*)\"");

    @BeforeEach
    void users() {
        ConsoleUsers.ensure(api);
    }

    @Test
    void theFederationPageShowsEpsilonSpentAgainstTheBudgetAndItsCurve() throws InterruptedException {
        Map<String, Object> config = FederationFixture.config(3, 10, 60, 1.0, "fedavg");
        config.put("strategy", Map.of("name", "fedavg", "params", Map.of("weighting", "uniform")));
        @SuppressWarnings("unchecked")
        Map<String, Object> schedule = new HashMap<>((Map<String, Object>) config.get("schedule"));
        schedule.put("sampler", "poisson");
        schedule.put("clientFraction", 1.0);
        config.put("schedule", schedule);
        config.put("privacy", Map.of("noiseMultiplier", SIGMA, "clipNorm", 1.0, "delta", DELTA, "epsilon", BUDGET));
        FederationFixture federation = new FederationFixture(api, 3, config);
        ConsoleSession viewer = new ConsoleSession(port).logIn(ConsoleUsers.VIEWER);
        String page = "/console/federations/" + federation.federationId;
        assertTrue(viewer.get(page).body().contains(String.format(Locale.ROOT,
                "Privacy budget: epsilon 0.000 of %.3f at delta 0.00001", BUDGET)), "nothing spent before a round");

        federation.start();
        playRound(federation, 1);
        playRound(federation, 2);

        // q = 1: every client takes part in every round, one step of the sampled Gaussian mechanism each
        RdpAccountant accountant = RdpAccountant.empty().compose(1.0, SIGMA, 1);
        double afterOne = accountant.epsilon(DELTA);
        double afterTwo = accountant.compose(1.0, SIGMA, 1).epsilon(DELTA);
        String body = viewer.get(page).body();
        assertTrue(body.contains(String.format(Locale.ROOT, "Privacy budget: epsilon %.3f of %.3f at delta 0.00001",
                afterTwo, BUDGET)), body);
        assertTrue(body.contains("Mechanism: DP-FedAvg, noise multiplier 1.2"), body);
        assertTrue(body.contains("id=\"chart-epsilon\""));
        Matcher series = SERIES.matcher(body);
        assertTrue(series.find());
        JsonNode epsilon = new ObjectMapper().readTree(HtmlUtils.htmlUnescape(series.group(1))).get("epsilon");
        assertEquals(2, epsilon.size());
        assertEquals(afterOne, epsilon.get(0).asDouble(), 1e-9);
        assertEquals(afterTwo, epsilon.get(1).asDouble(), 1e-9);
    }

    @Test
    void aDpFtrlFederationsPageShowsTheTreesEpsilonAgainstTheBudget() throws InterruptedException {
        Map<String, Object> config = FederationFixture.config(3, 10, 60, 1.0, "fedavg");
        config.put("strategy", Map.of("name", "fedavg", "params", Map.of("weighting", "uniform")));
        // a new tree after every round, so that each client may contribute to every round once
        config.put("privacy", Map.of("mechanism", "dp-ftrl", "noiseMultiplier", SIGMA, "clipNorm", 1.0,
                "delta", DELTA, "clientsPerRound", 3, "restartEvery", 1, "epsilon", BUDGET));
        FederationFixture federation = new FederationFixture(api, 3, config);
        ConsoleSession viewer = new ConsoleSession(port).logIn(ConsoleUsers.VIEWER);
        String page = "/console/federations/" + federation.federationId;
        assertTrue(viewer.get(page).body().contains(String.format(Locale.ROOT,
                "Privacy budget: epsilon 0.000 of %.3f at delta 0.00001", BUDGET)), "nothing spent before a round");

        federation.start();
        playRound(federation, 1);
        playRound(federation, 2);

        // two trees of one leaf each, every client once in each
        TreeAccountant oneTree = TreeAccountant.empty().compose(TreeAggregationEvent.once(SIGMA, 1));
        double afterTwo = oneTree.compose(TreeAggregationEvent.once(SIGMA, 1)).epsilon(DELTA);
        String body = viewer.get(page).body();
        assertTrue(body.contains(String.format(Locale.ROOT, "Privacy budget: epsilon %.3f of %.3f at delta 0.00001",
                afterTwo, BUDGET)), body);
        assertTrue(body.contains("Mechanism: DP-FTRL, efficient tree, noise multiplier 1.2"), body);
        Matcher series = SERIES.matcher(body);
        assertTrue(series.find());
        JsonNode epsilon = new ObjectMapper().readTree(HtmlUtils.htmlUnescape(series.group(1))).get("epsilon");
        assertEquals(oneTree.epsilon(DELTA), epsilon.get(0).asDouble(), 1e-9);
        assertEquals(afterTwo, epsilon.get(1).asDouble(), 1e-9);
    }

    @Test
    void aFederationWithoutPrivacyShowsNoBudget() {
        FederationFixture federation = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
        String body = new ConsoleSession(port).logIn(ConsoleUsers.VIEWER)
                .get("/console/federations/" + federation.federationId).body();
        assertTrue(body.contains("id=\"live\""));
        assertFalse(body.contains("privacy-budget"));
        assertFalse(body.contains("chart-epsilon"));
    }

    /** Opens round {@code number}, every client uploads to it, and waits until it closed. */
    private void playRound(FederationFixture federation, int number) throws InterruptedException {
        Eventually.await("round " + number + " open", Duration.ofSeconds(30), () -> {
            orchestrator.tick();
            return federation.clients.stream()
                    .allMatch(c -> federation.assignment(c).json().get("state").asString().equals("ASSIGNED"));
        });
        for (int i = 0; i < federation.clients.size(); i++) {
            FederationFixture.Client client = federation.clients.get(i);
            String round = federation.assignment(client).json().get("roundId").asString();
            assertEquals(202, api.put("/api/v1/client/rounds/" + round + "/update", client.credential(),
                    upload(randomDelta(100L * number + i), 10), "k" + number + "-" + i).status());
        }
        Eventually.await("round " + number + " closed", Duration.ofSeconds(30), () -> federation.rounds().stream()
                .anyMatch(r -> r.get("number").asInt() == number && r.get("state").asString().equals("CLOSED")));
    }
}
