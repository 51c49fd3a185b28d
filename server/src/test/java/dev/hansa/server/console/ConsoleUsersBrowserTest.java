package dev.hansa.server.console;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.console.ConsoleUsers.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.server.FederationFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import tools.jackson.databind.JsonNode;

/** The ADMIN's users page in the browser, and what the users it creates can do. */
class ConsoleUsersBrowserTest extends BrowserTest {

    @Test
    void anAdminCreatesAViewerWhoLogsInAndSeesNoButtonThatChangesSomething() {
        FederationFixture federation = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
        LoginPage.open(driver, base).logIn(ConsoleUsers.ADMIN_USER, PASSWORD);
        UsersPage users = UsersPage.fromNavigation(driver, base);

        users = users.create("victor", "short", "VIEWER");
        assertEquals("password: must hold at least 12 characters", users.fieldError("password"));
        assertNull(users.fieldError("username"));
        assertFalse(users.usernames().contains("victor"), "nothing written");
        users = users.create(ConsoleUsers.OPERATOR, PASSWORD, "VIEWER");
        assertEquals("username: " + ConsoleUsers.OPERATOR + " is taken", users.fieldError("username"));

        UsersPage created = users.create("victor", PASSWORD, "VIEWER");
        assertTrue(created.usernames().contains("victor"), () -> created.usernames().toString());
        assertEquals("VIEWER", created.attributeOf("victor", "role"));
        assertEquals("true", created.attributeOf("victor", "enabled"));
        Pages.logOut(driver, base);

        LoginPage.open(driver, base).logIn("victor", PASSWORD);
        assertTrue(driver.findElements(By.id("nav-users")).isEmpty(), "no users link for a VIEWER");
        FederationPage overview = FederationPage.open(driver, base, federation.federationId);
        assertEquals(List.of(), overview.buttons());
        driver.get(base + "/console/users");
        assertEquals("Not allowed", driver.findElement(By.tagName("h1")).getText());
    }

    @Test
    void theLastEnabledAdminCannotBeDemotedOrDisabledAndThePageSaysWhy() {
        List<String> demoted = new ArrayList<>();
        for (JsonNode user : api.get("/api/v1/admin/users", ADMIN).json()) {
            if (!"admin".equals(user.get("username").asString()) && "ADMIN".equals(user.get("role").asString())) {
                demoted.add(user.get("id").asString());
                api.post("/api/v1/admin/users/" + user.get("id").asString() + "/role", ADMIN, Map.of("role", "VIEWER"));
            }
        }
        try {
            LoginPage.open(driver, base).logIn("admin", FederationFixture.ADMIN_PASSWORD);
            UsersPage users = UsersPage.fromNavigation(driver, base).changeRole("admin", "OPERATOR");
            assertEquals("last-admin: user admin is the last enabled ADMIN; make another user ADMIN before you "
                    + "demote them", Pages.flash(driver));
            assertEquals("ADMIN", users.attributeOf("admin", "role"));
            users = users.press("disable", "admin");
            assertEquals("last-admin: user admin is the last enabled ADMIN; make another user ADMIN before you "
                    + "disable them", Pages.flash(driver));
            assertEquals("true", users.attributeOf("admin", "enabled"));
        } finally {
            demoted.forEach(id -> api.post("/api/v1/admin/users/" + id + "/role", ADMIN, Map.of("role", "ADMIN")));
        }
    }

    @Test
    void anAdminChangesARoleDisablesAndEnablesAUserAndResetsTheirPassword() {
        LoginPage.open(driver, base).logIn(ConsoleUsers.ADMIN_USER, PASSWORD);
        UsersPage users = UsersPage.fromNavigation(driver, base).create("olga", PASSWORD, "VIEWER");

        users = users.changeRole("olga", "OPERATOR");
        assertEquals("OPERATOR", users.attributeOf("olga", "role"));
        users = users.press("disable", "olga");
        assertEquals("false", users.attributeOf("olga", "enabled"));
        users = users.press("enable", "olga");
        assertEquals("true", users.attributeOf("olga", "enabled"));
        users = users.resetPassword("olga", "short");
        assertEquals("invalid-field: password: must hold at least 12 characters", Pages.flash(driver));
        users.resetPassword("olga", "a brand new passphrase");
        Pages.logOut(driver, base);

        assertTrue(LoginPage.open(driver, base).logInExpectingFailure("olga", PASSWORD).showsFailure());
        LoginPage.open(driver, base).logIn("olga", "a brand new passphrase");
        FederationPage created = FederationPage.open(driver, base,
                new FederationFixture(api, 1, 1, 60, 1.0, "fedavg").federationId);
        assertTrue(created.canStart(), "an OPERATOR now");
    }
}
