package dev.hansa.server.console;

import static dev.hansa.server.console.ConsoleUsers.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.server.FederationFixture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** Swagger UI in the browser: an ADMIN opens it from the console and tries the API out with an access token. */
class ApiDocsBrowserTest extends BrowserTest {

    @Test
    void anAdminOpensSwaggerUiFromTheConsoleAndListsTheFederationsWithAToken() {
        FederationFixture federation = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
        LoginPage.open(driver, base).logIn(ConsoleUsers.ADMIN_USER, PASSWORD);
        String token = AccessTokensPage.open(driver, base).create("swagger-ui");

        SwaggerUiPage swagger = SwaggerUiPage.fromNavigation(driver);
        List<String> operations = swagger.operations();
        for (String op : List.of("GET /api/v1/admin/federations", "POST /api/v1/admin/federations",
                "GET /api/v1/admin/federations/{id}", "POST /api/v1/admin/federations/{id}/start")) {
            assertTrue(operations.contains(op), () -> op + " is not among " + operations);
        }
        SwaggerUiPage.Response listed = swagger.authorize(token).tryOut("GET", "/api/v1/admin/federations");
        assertEquals("200", listed.status(), listed.body());
        assertTrue(listed.body().contains(federation.federationId), listed.body());
    }

    @Test
    void onlyAnAdminHasTheLink() {
        LoginPage.open(driver, base).logIn(ConsoleUsers.OPERATOR, PASSWORD);
        assertTrue(driver.findElements(By.id("nav-api")).isEmpty(), "no API link for an OPERATOR");
        driver.get(base + "/swagger-ui/index.html");
        assertEquals("Not allowed", driver.findElement(By.tagName("h1")).getText());
    }
}
