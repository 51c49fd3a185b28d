package dev.hansa.server.console;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.server.EmbeddedServerTest;
import dev.hansa.server.FederationFixture;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The console's chain below the browser: what needs a login, what a VIEWER may not do, and that every form the
 * console has (taken from the controllers' mappings, so a new one cannot be forgotten) refuses a POST without its
 * CSRF token.
 */
class ConsoleSecurityTest extends EmbeddedServerTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    @BeforeEach
    void users() {
        ConsoleUsers.ensure(api);
    }

    @Test
    void assetsAndTheLoginPageAreOpenAndEveryOtherPageSendsToTheLogin() {
        ConsoleSession anonymous = new ConsoleSession(port);
        assertEquals(200, anonymous.get("/console/login").statusCode());
        for (String asset : List.of("/console/assets/console.css", "/console/assets/console.js",
                "/webjars/htmx.org/dist/htmx.min.js", "/webjars/chart.js/dist/chart.umd.min.js")) {
            assertEquals(200, anonymous.get(asset).statusCode(), asset);
        }
        HttpResponse<String> page = anonymous.get("/console/federations");
        assertEquals(302, page.statusCode());
        assertTrue(page.headers().firstValue("Location").orElseThrow().endsWith("/console/login"));
    }

    @Test
    void theApiStillTakesOnlyBearerTokensAndTheConsoleSessionDoesNotOpenIt() {
        ConsoleSession admin = new ConsoleSession(port).logIn(ConsoleUsers.ADMIN_USER);
        assertEquals(401, admin.get("/api/v1/admin/federations").statusCode());
        assertEquals(200, api.get("/api/v1/admin/federations", ADMIN).status());
    }

    /** Every console POST mapping, path variables filled with fresh ids, plus the two the security filters serve. */
    Stream<String> consoleForms() {
        List<String> paths = new ArrayList<>(List.of("/console/login", "/console/logout"));
        mappings.getHandlerMethods().keySet().stream()
                .filter(info -> info.getMethodsCondition().getMethods().contains(RequestMethod.POST))
                .flatMap(info -> info.getPatternValues().stream())
                .filter(path -> path.startsWith("/console/"))
                .map(path -> path.replaceAll("\\{[^}]+}", UUID.randomUUID().toString()))
                .forEach(paths::add);
        return paths.stream();
    }

    @Test
    void theFormListIsTakenFromTheControllers() {
        assertTrue(consoleForms().anyMatch(p -> p.matches("/console/federations/[0-9a-f-]{36}/start")));
    }

    @Test
    void everyFormRefusesAPostWithoutItsCsrfToken() {
        ConsoleSession admin = new ConsoleSession(port).logIn(ConsoleUsers.ADMIN_USER);
        consoleForms().forEach(path -> assertEquals(403, admin.post(path, Map.of()).statusCode(), path));
        assertEquals(200, admin.get("/console/federations").statusCode(), "still signed in");
    }

    @Test
    void onlyAnAdminReachesTheUsersPageAndItsForms() {
        String user = api.get("/api/v1/admin/users", ADMIN).json().valueStream()
                .filter(u -> u.get("username").asString().equals(ConsoleUsers.VIEWER)).findFirst().orElseThrow()
                .get("id").asString();
        for (String who : List.of(ConsoleUsers.OPERATOR, ConsoleUsers.VIEWER)) {
            ConsoleSession session = new ConsoleSession(port).logIn(who);
            assertEquals(403, session.get("/console/users").statusCode(), who);
            String csrf = session.csrfToken("/console/federations");
            assertEquals(403, session.post("/console/users", Map.of("_csrf", csrf, "username", "mallory",
                    "password", "long enough password", "role", "ADMIN")).statusCode(), who);
            assertEquals(403, session.post("/console/users/" + user + "/role", Map.of("_csrf", csrf,
                    "role", "ADMIN")).statusCode(), who);
        }
        assertTrue(api.get("/api/v1/admin/users", ADMIN).json().valueStream()
                .noneMatch(u -> u.get("username").asString().equals("mallory")), "nobody was created");
        assertTrue(api.get("/api/v1/admin/users", ADMIN).json().valueStream()
                .filter(u -> u.get("username").asString().equals(ConsoleUsers.VIEWER))
                .allMatch(u -> u.get("role").asString().equals("VIEWER")), "no role was changed");
        ConsoleSession admin = new ConsoleSession(port).logIn(ConsoleUsers.ADMIN_USER);
        HttpResponse<String> page = admin.get("/console/users");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("data-user=\"" + ConsoleUsers.VIEWER + "\""));
    }

    @Test
    void aModelVersionDownloadsAsTheSafetensorsFileTheApiServes() {
        FederationFixture federation = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
        String path = "/federations/" + federation.federationId + "/models/0";
        HttpResponse<byte[]> download = new ConsoleSession(port).logIn(ConsoleUsers.VIEWER).download("/console" + path);
        assertEquals(200, download.statusCode());
        assertTrue(download.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment;"));
        assertArrayEquals(api.get("/api/v1/admin" + path, ADMIN).bytes(), download.body());
        assertEquals(FederationFixture.SPEC.parameterCount(),
                Safetensors.read(download.body(), FederationFixture.SPEC).tensors().values().length);
    }

    @Test
    void aViewerReadsEverythingButTheServerRefusesTheirWrites() {
        FederationFixture federation = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
        ConsoleSession viewer = new ConsoleSession(port).logIn(ConsoleUsers.VIEWER);
        String page = "/console/federations/" + federation.federationId;
        HttpResponse<String> read = viewer.get(page);
        assertEquals(200, read.statusCode());
        assertFalse(read.body().contains("id=\"start\""), "no start button for a viewer");
        HttpResponse<String> start = viewer.post(page + "/start", Map.of("_csrf", viewer.csrfToken(page)));
        assertEquals(403, start.statusCode());
        assertEquals("CREATED", federation.status());

        for (String form : List.of(page + "/edit", page + "/delete")) {
            assertEquals(403, viewer.get(form).statusCode(), form + " is an OPERATOR's form");
        }
        assertEquals(403, viewer.post(page + "/delete", Map.of("_csrf", viewer.csrfToken(page), "confirmName",
                "test")).statusCode());
        assertEquals(200, api.get("/api/v1/admin/federations/" + federation.federationId, ADMIN).status());

        String client = page + "/clients/" + federation.clients.getFirst().id() + "/revoke";
        assertEquals(403, viewer.post(client, Map.of("_csrf", viewer.csrfToken(page))).statusCode());
        assertEquals(200, api.post("/api/v1/client/heartbeat", federation.clients.getFirst().credential(), Map.of())
                .status(), "the client is not revoked");

        ConsoleSession operator = new ConsoleSession(port).logIn(ConsoleUsers.OPERATOR);
        HttpResponse<String> started = operator.post(page + "/start", Map.of("_csrf", operator.csrfToken(page)));
        assertEquals(302, started.statusCode());
        assertEquals("RUNNING", federation.status());
    }
}
