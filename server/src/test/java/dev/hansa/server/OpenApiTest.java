package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/** The OpenAPI description: generated from the controllers, complete for the admin API, for admins only. */
class OpenApiTest extends EmbeddedServerTest {

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
}
