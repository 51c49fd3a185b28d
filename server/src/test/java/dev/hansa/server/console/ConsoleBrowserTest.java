package dev.hansa.server.console;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.console.ConsoleUsers.OPERATOR;
import static dev.hansa.server.console.ConsoleUsers.PASSWORD;
import static dev.hansa.server.console.ConsoleUsers.VIEWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console in a real headless Chromium against the running server, through page objects. */
class ConsoleBrowserTest extends BrowserTest {

    @TempDir
    private Path stateDir;

    @Test
    void aWrongPasswordIsRefusedAndTheRightOneOpensTheFederationsList() {
        LoginPage login = LoginPage.open(driver, base).logInExpectingFailure(OPERATOR, "not the password");
        assertTrue(login.showsFailure());
        FederationsPage federations = login.logIn(OPERATOR, PASSWORD);
        assertTrue(federations.canCreate());
    }

    @Test
    void pagesNeedALoginAndLoggingOutEndsTheSession() {
        driver.get(base + "/console/federations");
        LoginPage.at(driver, base);
        LoginPage after = LoginPage.at(driver, base).logIn(VIEWER, PASSWORD).logOut();
        assertTrue(after.showsLoggedOut());
        driver.get(base + "/console/federations");
        LoginPage.at(driver, base);
    }

    @Test
    void anOperatorCreatesAFederationThroughTheFormAfterFixingTheFieldTheServerNamed() {
        FederationFormPage form = LoginPage.open(driver, base).logIn(OPERATOR, PASSWORD).create();
        form.fill("name", "made in the browser").fill("minClients", "5").fill("maxClients", "3")
                .choose("aggregator", "trimmed-mean").fill("f", "1");
        form = form.submitExpectingErrors();
        assertEquals("schedule.minClients (5) must not exceed schedule.maxClients (3)",
                form.errorOf("minClients").orElseThrow());
        assertTrue(form.errorOf("maxClients").isEmpty());
        assertEquals("made in the browser", form.value("name"), "what was typed stays");

        FederationPage created = form.fill("minClients", "3").submit();
        assertEquals("made in the browser", created.name());
        assertEquals("CREATED", created.state());
        var stored = api.get("/api/v1/admin/federations/" + created.id(), ADMIN).json().get("config");
        assertEquals(3, stored.get("schedule").get("minClients").asInt());
        assertEquals("trimmed-mean", stored.get("robustness").get("aggregator").asString());
        assertEquals(1, stored.get("robustness").get("f").asInt());
        assertEquals(784, stored.get("model").get("params").get("inputSize").asInt());
        assertFalse(stored.has("privacy"), "empty privacy boxes leave the section out");
        assertEquals(null, created.privacyBudget());
    }

    @Test
    void anOperatorCreatesADpFederationWithItsBudgetAfterFixingThePrivacyFieldTheServerNamed() {
        FederationFormPage form = LoginPage.open(driver, base).logIn(OPERATOR, PASSWORD).create();
        form.fill("name", "private by form").choose("sampler", "poisson")
                .fill("strategyParams", "{\"weighting\": \"uniform\"}")
                .fill("dpNoiseMultiplier", "1.1").fill("dpClipNorm", "1.0").fill("dpEpsilon", "8");
        form = form.submitExpectingErrors();
        assertEquals("privacy.delta is required (the delta epsilon is reported at)",
                form.errorOf("dpDelta").orElseThrow());
        assertEquals(List.of("dpDelta"), form.fieldsWithErrors());
        assertEquals("8", form.value("dpEpsilon"), "what was typed stays");

        FederationPage created = form.fill("dpDelta", "0.00001").submit();
        assertEquals("private by form", created.name());
        assertEquals("Privacy budget: epsilon 0.000 of 8.000 at delta 0.00001", created.privacyBudget());
        var privacy = api.get("/api/v1/admin/federations/" + created.id(), ADMIN).json().get("config").get("privacy");
        assertEquals(Set.of("noiseMultiplier", "clipNorm", "epsilon", "delta"), Set.copyOf(privacy.propertyNames()));
        assertEquals(1.1, privacy.get("noiseMultiplier").asDouble());
        assertEquals(8.0, privacy.get("epsilon").asDouble());
        assertEquals(1e-5, privacy.get("delta").asDouble());
    }

    @Test
    void anOperatorStartsAFederationAndWatchesItsRoundsCompleteWithTheChartsGrowing() throws InterruptedException {
        try (LiveFederation live = new LiveFederation(api, port, stateDir, "watched live", 3, 2)) {
            FederationPage page = LoginPage.open(driver, base).logIn(OPERATOR, PASSWORD).open("watched live");
            assertEquals("CREATED", page.state());
            assertTrue(page.showsNoOpenRound());
            page = page.start();
            live.awaitOpenRound(api, orchestrator::tick, 1);
            FederationPage watched = page;
            Pages.await(driver, d -> watched.current("assigned") == 3);
            assertEquals(0, page.current("uploaded"));
            assertEquals(3, page.current("waiting"));
            assertTrue(page.countdown().matches("\\d+(:\\d\\d){1,2}"), page.countdown());
            assertEquals(0, page.chartPoints("accuracy"));

            live.train();
            Pages.await(driver, d -> "CLOSED".equals(watched.roundState(1)));
            Pages.await(driver, d -> watched.chartPoints("accuracy") == 1);
            assertEquals("1 of 2 rounds", page.progress());

            live.awaitOpenRound(api, orchestrator::tick, 2);
            Pages.await(driver, d -> watched.current("assigned") == 3);
            live.train();
            Pages.await(driver, d -> "FINISHED".equals(watched.state()));
            Pages.await(driver, d -> watched.chartPoints("accuracy") == 2 && watched.chartPoints("bytes") == 2);
            assertTrue(page.chartDrawn("accuracy"));
            assertTrue(page.chartDrawn("loss"));
            assertEquals("2 of 2 rounds", page.progress());
            assertFalse(page.canStop());
        }
    }
}
