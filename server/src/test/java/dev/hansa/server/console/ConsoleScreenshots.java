package dev.hansa.server.console;

import static dev.hansa.server.console.ConsoleUsers.OPERATOR;
import static dev.hansa.server.console.ConsoleUsers.PASSWORD;

import dev.hansa.server.EmbeddedServerTest;
import dev.hansa.server.FederationFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Takes the README's screenshots of the console (docs/img/console-*.png) from a federation of real SDK clients that
 * has run a few rounds. Runs only when asked, since it writes into the source tree:
 * {@code ./mvnw -pl server -am test -Dtest=ConsoleScreenshots -Dsurefire.failIfNoSpecifiedTests=false
 * -Dhansa.screenshots=$PWD/docs/img}.
 */
@EnabledIfSystemProperty(named = "hansa.screenshots", matches = ".+")
class ConsoleScreenshots extends EmbeddedServerTest {

    @TempDir
    private Path stateDir;

    @Test
    void mainPages() throws Exception {
        ConsoleUsers.ensure(api);
        Path out = Files.createDirectories(Path.of(System.getProperty("hansa.screenshots")));
        String base = "http://127.0.0.1:" + port;
        Map<String, Object> pilot = FederationFixture.config(2, 10, 600, 0.5, "fedavg");
        pilot.put("name", "clinics pilot (not started)");
        String pilotId = new FederationFixture(api, 2, pilot).federationId;
        try (LiveFederation live = new LiveFederation(api, port, stateDir, "clinics (synthetic IID, fedavg)", 4, 8)) {
            api.post("/api/v1/admin/federations/" + live.id + "/start", FederationFixture.ADMIN, null);
            for (int round = 1; round <= 6; round++) {
                live.awaitOpenRound(api, orchestrator::tick, round);
                live.train();
            }
            live.awaitOpenRound(api, orchestrator::tick, 7);
            ChromeDriver laptop = Browser.open(1366, 900);
            try {
                LoginPage login = LoginPage.open(laptop, base);
                shoot(laptop, out, "login");
                login.logIn(OPERATOR, PASSWORD);
                shoot(laptop, out, "federations");
                FederationPage page = FederationPage.open(laptop, base, live.id);
                Pages.await(laptop, d -> page.chartPoints("accuracy") == 6 && page.chartDrawn("accuracy"));
                shoot(laptop, out, "federation");
                FederationTabPage.open(laptop, base, live.id, "clients");
                shoot(laptop, out, "clients");
                laptop.get(base + "/console/federations/new");
                shoot(laptop, out, "new-federation");
                FederationFormPage form = FederationFormPage.at(laptop, base).fill("name", "clinics with DP")
                        .choose("sampler", "poisson").fill("strategyParams", "{\"weighting\": \"uniform\"}")
                        .fill("dpNoiseMultiplier", "1.1").fill("dpClipNorm", "1.0").fill("dpEpsilon", "8")
                        .submitExpectingErrors();
                form.scrollTo("privacy-section");
                shoot(laptop, out, "new-federation-privacy");
                FederationPage.open(laptop, base, pilotId).delete();
                shoot(laptop, out, "delete");
                Pages.logOut(laptop, base).logIn(ConsoleUsers.ADMIN_USER, PASSWORD);
                UsersPage.fromNavigation(laptop, base);
                shoot(laptop, out, "users");
            } finally {
                laptop.quit();
            }
            ChromeDriver phone = Browser.open(390, 844);
            try {
                LoginPage.open(phone, base).logIn(OPERATOR, PASSWORD);
                FederationPage page = FederationPage.open(phone, base, live.id);
                Pages.await(phone, d -> page.chartPoints("accuracy") == 6);
                shoot(phone, out, "federation-phone");
            } finally {
                phone.quit();
            }
        }
    }

    private static void shoot(ChromeDriver driver, Path out, String name) throws IOException {
        Files.write(out.resolve("console-" + name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }
}
