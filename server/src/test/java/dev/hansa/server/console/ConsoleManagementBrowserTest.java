package dev.hansa.server.console;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.console.ConsoleUsers.OPERATOR;
import static dev.hansa.server.console.ConsoleUsers.PASSWORD;
import static dev.hansa.server.console.ConsoleUsers.VIEWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.server.Api;
import dev.hansa.server.FederationFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** Clients, enrollment tokens, rounds and the audit log in the browser; what a VIEWER sees of them. */
class ConsoleManagementBrowserTest extends BrowserTest {

    @Test
    void anOperatorRevokesAClientWhichIsRefusedFromThenOnAndTheAuditLogSaysWhoDidIt() {
        FederationFixture federation = new FederationFixture(api, 2, 1, 60, 1.0, "fedavg");
        FederationFixture.Client revoked = federation.clients.getFirst();
        LoginPage.open(driver, base).logIn(OPERATOR, PASSWORD);
        FederationTabPage clients = FederationTabPage.open(driver, base, federation.federationId, "clients");
        assertEquals("ACTIVE", clients.stateOf("client", revoked.id()));

        clients = clients.revokeClient(revoked.id());
        assertEquals("REVOKED", clients.stateOf("client", revoked.id()));
        assertEquals("ACTIVE", clients.stateOf("client", federation.clients.get(1).id()));
        assertEquals(401, api.post("/api/v1/client/heartbeat", revoked.credential(), Map.of()).status());
        assertEquals(200, api.post("/api/v1/client/heartbeat", federation.clients.get(1).credential(), Map.of())
                .status());

        FederationTabPage audit = clients.auditLog();
        assertTrue(audit.rows().stream().anyMatch(r -> r.contains(OPERATOR) && r.contains("client.revoke")
                && r.contains(revoked.id())), () -> String.join("\n", audit.rows()));
    }

    @Test
    void anOperatorIssuesEnrollmentTokensWhoseSecretsAreShownOnceAndEnrollClients() {
        FederationFixture federation = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
        LoginPage.open(driver, base).logIn(OPERATOR, PASSWORD);
        FederationTabPage tokens = FederationTabPage.open(driver, base, federation.federationId, "tokens");
        int before = tokens.rows().size();
        long usedBefore = tokens.rows().stream().filter(r -> r.contains("USED")).count();

        tokens = tokens.issueTokens("0", "24");
        assertEquals("count: must be in [1, 10000]: 0", tokens.issueError());
        tokens = tokens.issueTokens("2", "24");
        List<String> secrets = tokens.issuedSecrets();
        assertEquals(2, secrets.size());
        assertEquals(before + 2, tokens.rows().size());
        Api.Reply enrolled = api.post("/api/v1/enroll", secrets.getFirst(), Map.of("name", "from the console",
                "numSamples", 10));
        assertEquals(201, enrolled.status(), () -> new String(enrolled.bytes()));

        FederationTabPage reloaded = FederationTabPage.open(driver, base, federation.federationId, "tokens");
        assertTrue(reloaded.issuedSecrets().isEmpty(), "shown once");
        assertEquals(usedBefore + 1, reloaded.rows().stream().filter(r -> r.contains("USED")).count());
    }

    @Test
    void anOperatorPausesResumesStopsClonesAndDeletesAFederation() {
        FederationFixture federation = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
        federation.start();
        LoginPage.open(driver, base).logIn(OPERATOR, PASSWORD);
        FederationPage page = FederationPage.open(driver, base, federation.federationId);
        assertEquals(List.of("pause", "stop", "clone"), page.buttons());

        page = page.press("pause");
        assertEquals("PAUSED", federation.status());
        assertEquals(List.of("resume", "stop", "clone"), page.buttons());
        page = page.press("resume");
        assertEquals("RUNNING", federation.status());
        page = page.press("stop");
        assertEquals("STOPPED", federation.status());
        assertEquals(List.of("start", "clone", "delete"), page.buttons());

        FederationPage clone = page.press("clone");
        assertFalse(clone.id().equals(federation.federationId), "the clone's own page");
        assertEquals("CREATED", clone.state());
        assertEquals(api.get("/api/v1/admin/federations/" + federation.federationId, ADMIN).json().get("config"),
                api.get("/api/v1/admin/federations/" + clone.id(), ADMIN).json().get("config"));
        page = FederationPage.open(driver, base, federation.federationId);

        String name = page.name();
        page.delete().confirm(name);
        assertEquals(404, api.get("/api/v1/admin/federations/" + federation.federationId, ADMIN).status());
        FederationTabPage audit = FederationTabPage.audit(driver, base);
        for (String action : List.of("federation.pause", "federation.resume", "federation.stop",
                "federation.clone", "federation.delete")) {
            assertTrue(audit.rows().stream().anyMatch(r -> r.contains(OPERATOR) && r.contains(action)
                    && r.contains(federation.federationId)), action);
        }
    }

    @Test
    void anOperatorEditsTheConfigOfAFederationThatHasNotStartedWithTheFormPrefilled() {
        FederationFixture federation = new FederationFixture(api, 1, 3, 60, 1.0, "fedavg");
        String path = "/api/v1/admin/federations/" + federation.federationId;
        LoginPage.open(driver, base).logIn(OPERATOR, PASSWORD);
        FederationPage page = FederationPage.open(driver, base, federation.federationId);
        assertEquals(List.of("start", "edit", "clone", "delete"), page.buttons());

        FederationFormPage form = page.edit();
        assertEquals("test", form.value("name"));
        assertEquals("3", form.value("rounds"));
        assertEquals("1.0", form.value("quorumFraction"));
        assertEquals("", form.value("dpNoiseMultiplier"));
        form = form.fill("name", "renamed before the start").fill("rounds", "7").fill("quorumFraction", "2")
                .submitExpectingErrors();
        assertEquals("schedule.quorumFraction must be in (0, 1]: 2.0", form.errorOf("quorumFraction").orElseThrow());
        assertEquals(3, api.get(path, ADMIN).json().get("config").get("schedule").get("rounds").asInt(),
                "nothing written");

        page = form.fill("quorumFraction", "0.5").submit();
        assertEquals(federation.federationId, page.id());
        assertEquals("renamed before the start", page.name());
        var config = api.get(path, ADMIN).json().get("config");
        assertEquals("renamed before the start", config.get("name").asString());
        assertEquals(7, config.get("schedule").get("rounds").asInt());
        assertEquals(0.5, config.get("schedule").get("quorumFraction").asDouble());
        FederationTabPage audit = FederationTabPage.audit(driver, base);
        assertTrue(audit.rows().stream().anyMatch(r -> r.contains(OPERATOR) && r.contains("federation.config.update")
                && r.contains(federation.federationId)), () -> String.join("\n", audit.rows()));

        page = FederationPage.open(driver, base, federation.federationId).start();
        assertFalse(page.buttons().contains("edit"), "no edit once started");
        driver.get(base + "/console/federations/" + federation.federationId + "/edit");
        assertEquals("The server refused this", driver.findElement(By.tagName("h1")).getText());
        assertTrue(driver.findElement(By.tagName("main")).getText().contains("federation-started"));
    }

    @Test
    void aDeleteNeedsTheFederationsNameTypedWhichTheServerChecks() {
        FederationFixture federation = new FederationFixture(api, 2, 1, 60, 1.0, "fedavg");
        String path = "/api/v1/admin/federations/" + federation.federationId;
        LoginPage.open(driver, base).logIn(OPERATOR, PASSWORD);
        DeleteFederationPage confirm = FederationPage.open(driver, base, federation.federationId).delete();
        assertTrue(confirm.explanation().contains("its 2 client(s)"), confirm.explanation());

        confirm = confirm.confirmExpectingError("tes");
        assertEquals("confirmName: type the federation's name, test, to delete it", confirm.error());
        assertEquals(200, api.get(path, ADMIN).status(), "not deleted");

        ConsoleSession session = new ConsoleSession(port).logIn(OPERATOR);
        String page = "/console/federations/" + federation.federationId;
        var unconfirmed = session.post(page + "/delete", Map.of("_csrf", session.csrfToken(page)));
        assertEquals(200, unconfirmed.statusCode());
        assertTrue(unconfirmed.body().contains("id=\"confirmName-error\""), "the form again, with the error");
        assertEquals(200, api.get(path, ADMIN).status(), "a POST without the name deletes nothing");

        confirm.confirm("test");
        assertEquals(404, api.get(path, ADMIN).status());
    }

    @Test
    void anOperatorRetriesTheRoundAFederationFailedOnFromTheRoundPage() {
        Map<String, Object> config = FederationFixture.config(1, 1, 60, 1.0, "fedavg");
        config.put("schedule", Map.of("rounds", 1, "minClients", 1, "maxClients", 1, "roundDeadlineSeconds", 60,
                "quorumFraction", 1.0, "maxAttempts", 1));
        FederationFixture federation = new FederationFixture(api, 1, config);
        federation.start();
        orchestrator.tick();
        clock.advance(Duration.ofSeconds(61));
        orchestrator.tick(); // the round fails without its update
        api.post("/api/v1/client/heartbeat", federation.clients.getFirst().credential(), Map.of());
        orchestrator.tick(); // no attempt left: the federation fails
        assertEquals("FAILED", federation.status());
        String roundId = federation.rounds().getFirst().get("id").asString();

        LoginPage.open(driver, base).logIn(OPERATOR, PASSWORD);
        FederationTabPage round = FederationTabPage.round(driver, base, roundId);
        assertFalse(round.hasButton("cancel-round"));
        round = round.press("retry-round");
        assertEquals(null, round.flash());
        assertFalse(round.hasButton("retry-round"), "the federation runs again: nothing left to retry");
        assertEquals("RUNNING", federation.status());
        assertTrue(api.get("/api/v1/admin/rounds/" + roundId, ADMIN).json().get("retriedAt").isString());
        FederationTabPage audit = FederationTabPage.audit(driver, base);
        assertTrue(audit.rows().stream().anyMatch(r -> r.contains(OPERATOR) && r.contains("round.retry")
                && r.contains(roundId)), () -> String.join("\n", audit.rows()));
    }

    @Test
    void anOperatorCancelsTheOpenRoundAndARefusedCancelShowsItsReasonAsAFlashMessage() {
        FederationFixture cancelled = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
        FederationFixture stale = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
        cancelled.start();
        stale.start();
        orchestrator.tick();
        String roundId = cancelled.roundIdOf(cancelled.clients.getFirst());
        String staleRoundId = stale.roundIdOf(stale.clients.getFirst());
        LoginPage.open(driver, base).logIn(OPERATOR, PASSWORD);

        FederationTabPage round = FederationTabPage.round(driver, base, roundId).press("cancel-round");
        assertEquals("CANCELLED", api.get("/api/v1/admin/rounds/" + roundId, ADMIN).json().get("state").asString());
        assertEquals(null, round.flash());
        assertFalse(round.hasButton("cancel-round"), "a cancelled round cannot be cancelled again");

        FederationTabPage open = FederationTabPage.round(driver, base, staleRoundId);
        assertEquals(200, api.post("/api/v1/admin/rounds/" + staleRoundId + "/cancel", ADMIN, null).status(),
                "cancelled behind the operator's back");
        open = open.press("cancel-round");
        assertTrue(open.flash().startsWith("round-not-open: "), open.flash());
        assertTrue(open.flash().endsWith("is CANCELLED; only the open round can be cancelled"), open.flash());
        assertEquals(null, FederationTabPage.round(driver, base, staleRoundId).flash(), "shown once");
    }

    @Test
    void theRoundPageShowsWhyAnUploadWasRefused() {
        FederationFixture federation = new FederationFixture(api, 2, 1, 60, 1.0, "fedavg");
        federation.start();
        orchestrator.tick();
        FederationFixture.Client sender = federation.clients.getFirst();
        String roundId = federation.roundIdOf(sender);
        Tensors nan = new Tensors(FederationFixture.SPEC, new float[FederationFixture.SPEC.parameterCount()]);
        nan.values()[0] = Float.NaN;
        Api.Reply refused = api.put("/api/v1/client/rounds/" + roundId + "/update", sender.credential(),
                Safetensors.write(nan, Map.of("num_samples", "1")), "k");
        assertEquals(400, refused.status());

        LoginPage.open(driver, base).logIn(VIEWER, PASSWORD);
        FederationTabPage round = FederationTabPage.round(driver, base, roundId);
        assertEquals("ASSIGNED", round.stateOf("client", sender.id()));
        assertTrue(round.rowText("client", sender.id()).contains(refused.reason()),
                () -> refused.reason() + " in " + round.rowText("client", sender.id()));
    }

    @Test
    void aViewerCreatesAnAccessTokenUsesItWithTheirRoleOnTheApiAndRevokesIt() {
        LoginPage.open(driver, base).logIn(VIEWER, PASSWORD);
        AccessTokensPage tokens = AccessTokensPage.open(driver, base);
        String secret = tokens.create("scraper");
        Api.Reply me = api.get("/api/v1/me", secret);
        assertEquals(200, me.status(), () -> new String(me.bytes()));
        assertEquals(VIEWER, me.json().get("username").asString());
        assertEquals(200, api.get("/api/v1/admin/federations", secret).status());
        assertEquals(403, api.post("/api/v1/admin/federations", secret, Map.of()).status(), "a VIEWER's token");
        assertEquals("ACTIVE", tokens.stateOf("scraper"));

        tokens = tokens.revoke("scraper");
        assertEquals("REVOKED", tokens.stateOf("scraper"));
        assertEquals(401, api.get("/api/v1/me", secret).status());
    }

    @Test
    void aViewerSeesEveryPageWithoutAButtonThatChangesSomething() {
        FederationFixture federation = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
        api.post("/api/v1/admin/federations/" + federation.federationId + "/enrollment-tokens", ADMIN,
                Map.of("count", 1));
        FederationsPage list = LoginPage.open(driver, base).logIn(VIEWER, PASSWORD);
        assertFalse(list.canCreate());
        FederationPage overview = FederationPage.open(driver, base, federation.federationId);
        assertFalse(overview.canStart());
        for (String tab : List.of("clients", "tokens", "models")) {
            FederationTabPage page = FederationTabPage.open(driver, base, federation.federationId, tab);
            assertFalse(page.rows().isEmpty(), tab);
            assertFalse(page.hasButtons(), tab + " shows a button that changes something");
        }
        driver.get(base + "/console/federations/new");
        assertEquals("/console/federations/new", Pages.path(driver));
        assertEquals("Not allowed", driver.findElement(By.tagName("h1")).getText());
    }
}
