package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.server.console.ConsoleSession;
import dev.hansa.server.console.ConsoleUsers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI description: generated from the controllers, complete for the admin API, for admins only (a bearer
 * token, or an ADMIN's console session in a browser).
 */
class OpenApiTest extends EmbeddedServerTest {

    /** What a browser's navigation accepts. */
    private static final String HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    /** "GET /api/v1/admin/..." for every admin endpoint the application maps, path variables without their regex. */
    private Set<String> mappedAdminEndpoints() {
        Set<String> out = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                if (pattern.startsWith("/api/v1/admin")) {
                    for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                        out.add(method + " " + pattern.replaceAll("\\{(\\w+):[^}]*}", "{$1}"));
                    }
                }
            }
        }
        return out;
    }

    private static Set<String> documentedEndpoints(JsonNode spec) {
        Set<String> out = new TreeSet<>();
        spec.get("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(op -> out.add(op.getKey().toUpperCase() + " " + path.getKey())));
        return out;
    }

    @Test
    void theSpecListsEveryAdminEndpoint() {
        Api.Reply reply = api.get("/v3/api-docs", ADMIN);
        assertEquals(200, reply.status(), () -> new String(reply.bytes()));
        Set<String> mapped = mappedAdminEndpoints();
        assertTrue(mapped.size() >= 30, "the admin API as mapped: " + mapped);
        Set<String> missing = new TreeSet<>(mapped);
        missing.removeAll(documentedEndpoints(reply.json()));
        assertEquals(Set.of(), missing, "admin endpoints missing from /v3/api-docs");
        assertTrue(reply.json().get("openapi").asString().startsWith("3."));
    }

    @Test
    void requestAndResponseBodiesHaveSchemasAndEveryOperationTakesTheBearerToken() {
        JsonNode spec = api.get("/v3/api-docs", ADMIN).json();
        JsonNode clone = spec.get("paths").get("/api/v1/admin/federations/{id}/clone").get("post");
        String ref = clone.get("requestBody").get("content").get("application/json").get("schema").get("$ref")
                .asString();
        JsonNode schema = spec.get("components").get("schemas").get(ref.substring(ref.lastIndexOf('/') + 1));
        assertEquals("string", schema.get("properties").get("name").get("type").asString(), schema.toString());
        JsonNode federation = spec.get("paths").get("/api/v1/admin/federations/{id}").get("get")
                .get("responses").get("200").get("content").get("*/*").get("schema").get("$ref");
        assertTrue(federation.asString().endsWith("/FederationView"), federation.toString());
        JsonNode config = spec.get("paths").get("/api/v1/admin/federations").get("post").get("requestBody");
        assertEquals("object", config.get("content").get("application/json").get("schema").get("type").asString(),
                config.toString());
        assertTrue(config.get("description").asString().contains("docs/protocol.md#federation-config"));
        assertEquals("bearer", spec.get("components").get("securitySchemes").get("bearer").get("scheme").asString());
        assertTrue(spec.get("security").toString().contains("bearer"));
    }

    @Test
    void onlyAdminsReadTheSpecAndTheSwaggerUi() {
        assertEquals(401, api.get("/v3/api-docs", null).status());
        assertEquals(401, api.get("/swagger-ui/index.html", null).status());
        Api.Reply ui = api.get("/swagger-ui/index.html", ADMIN);
        assertEquals(200, ui.status());
        assertTrue(new String(ui.bytes()).contains("swagger-ui"));
        FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
        assertEquals(403, api.get("/v3/api-docs", f.clients.getFirst().credential()).status());
    }

    @Test
    void anAdminsConsoleSessionOpensThemInABrowserAndOtherSessionsAreRefused() {
        ConsoleUsers.ensure(api);
        ConsoleSession admin = new ConsoleSession(port).logIn(ConsoleUsers.ADMIN_USER);
        HttpResponse<byte[]> ui = admin.exchange("GET", "/swagger-ui/index.html", HTML);
        assertEquals(200, ui.statusCode());
        assertTrue(new String(ui.body()).contains("swagger-ui"));
        Api.Reply spec = Api.Reply.of(admin.exchange("GET", "/v3/api-docs", "application/json"));
        assertEquals(200, spec.status());
        assertTrue(spec.json().get("paths").has("/api/v1/admin/federations"));
        assertEquals(401, Api.Reply.of(admin.exchange("GET", "/api/v1/admin/federations", null)).status(),
                "the session opens the description, not the API");

        for (String who : List.of(ConsoleUsers.OPERATOR, ConsoleUsers.VIEWER)) {
            ConsoleSession session = new ConsoleSession(port).logIn(who);
            HttpResponse<byte[]> page = session.exchange("GET", "/swagger-ui/index.html", HTML);
            assertEquals(403, page.statusCode(), who);
            assertTrue(new String(page.body()).contains("<h1>Not allowed</h1>"), who + " sees the console's refusal");
            Api.Reply json = Api.Reply.of(session.exchange("GET", "/v3/api-docs", "application/json"));
            assertEquals(403, json.status(), who);
            assertEquals("forbidden", json.reason(), who);
        }
    }

    @Test
    void aBrowserWithoutASessionIsSentToTheConsolesLoginAndGetsNoSession() {
        HttpResponse<byte[]> page = new ConsoleSession(port).exchange("GET", "/swagger-ui/index.html", HTML);
        assertEquals(302, page.statusCode());
        assertTrue(page.headers().firstValue("Location").orElseThrow().endsWith("/console/login"));
        assertTrue(page.headers().firstValue("Set-Cookie").isEmpty(), "nothing is remembered for the anonymous");
        Api.Reply script = Api.Reply.of(new ConsoleSession(port).exchange("GET", "/v3/api-docs", "*/*"));
        assertEquals(401, script.status());
        assertEquals("invalid-credential", script.reason());
    }
}
