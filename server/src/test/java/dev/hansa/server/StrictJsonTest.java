package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * Unknown members of a JSON body: the API of people (admin API, {@code /api/v1/me}) refuses them with
 * {@code 400 unknown-field} naming the member and changes nothing; the client API ignores them, so that a newer SDK
 * works with an older server (docs/protocol.md, "Unknown members"). Malformed JSON, wrong types and missing members
 * keep their field-named answers. The endpoints that take a body come from the controllers' mappings, so a new one
 * is checked without anyone listing it.
 */
class StrictJsonTest extends EmbeddedServerTest {

    private static final String UNKNOWN = "unexpectedMember";

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private FederationFixture federation;

    @BeforeEach
    void federation() {
        federation = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
    }

    private static void assertUnknown(String field, Api.Reply reply) {
        assertEquals(400, reply.status(), () -> new String(reply.bytes()));
        assertEquals("unknown-field", reply.reason(), reply.json()::toString);
        assertEquals(field, reply.json().get("field").asString(), reply.json()::toString);
        String member = field.substring(field.lastIndexOf('.') + 1);
        assertTrue(reply.json().get("detail").asString().contains(member), reply.json()::toString);
    }

    /** "METHOD pattern" of every endpoint of people (not clients) that reads a request body. */
    private Set<String> peopleEndpointsWithABody() {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mappings.getHandlerMethods().entrySet()) {
            boolean body = Stream.of(e.getValue().getMethodParameters())
                    .anyMatch((MethodParameter p) -> p.hasParameterAnnotation(RequestBody.class));
            for (String pattern : e.getKey().getPatternValues()) {
                if (body && (pattern.startsWith("/api/v1/admin/") || pattern.startsWith("/api/v1/me/"))) {
                    for (RequestMethod method : e.getKey().getMethodsCondition().getMethods()) {
                        out.add(method + " " + pattern);
                    }
                }
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyBodyOfThePeoplesApiRefusesAnUnknownMemberNamingIt() {
        Set<String> endpoints = peopleEndpointsWithABody();
        assertTrue(endpoints.containsAll(List.of("POST /api/v1/admin/federations",
                "PUT /api/v1/admin/federations/{id}/config", "PATCH /api/v1/admin/federations/{id}/config",
                "POST /api/v1/admin/federations/{id}/clone", "POST /api/v1/admin/users",
                "POST /api/v1/admin/privacy/plan", "POST /api/v1/me/tokens")), endpoints::toString);
        List<DynamicTest> tests = new ArrayList<>();
        for (String endpoint : endpoints) {
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String path = endpoint.substring(method.length() + 1).replace("{id}", federation.federationId)
                    .replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
            tests.add(DynamicTest.dynamicTest(endpoint, () ->
                    assertUnknown(UNKNOWN, api.send(method, path, ADMIN, "application/json", Map.of(UNKNOWN, 1)))));
        }
        return tests.stream();
    }

    @Test
    void aRefusedMemberChangesNothing() {
        int federations = api.get("/api/v1/admin/federations", ADMIN).json().size();
        String clone = "/api/v1/admin/federations/" + federation.federationId + "/clone";
        assertUnknown("state", api.post(clone, ADMIN, Map.of("name", "copy", "state", "RUNNING")));
        assertEquals(federations, api.get("/api/v1/admin/federations", ADMIN).json().size(), "nothing cloned");

        assertUnknown("enabled", api.post("/api/v1/admin/users", ADMIN, Map.of("username", "mallory",
                "password", "long enough password", "role", "VIEWER", "enabled", false)));
        assertTrue(api.get("/api/v1/admin/users", ADMIN).json().valueStream()
                .noneMatch(u -> u.get("username").asString().equals("mallory")), "nobody created");

        String tokens = "/api/v1/admin/federations/" + federation.federationId + "/enrollment-tokens";
        int issued = api.get(tokens, ADMIN).json().size();
        assertUnknown("federationId", api.post(tokens, ADMIN, Map.of("count", 1,
                "federationId", UUID.randomUUID().toString())));
        assertEquals(issued, api.get(tokens, ADMIN).json().size(), "no token issued");
    }

    @Test
    void aFederationConfigNamesAnUnknownMemberByItsPathAtEveryLevel() {
        Map<String, Object> config = new HashMap<>(FederationFixture.config(1, 1, 60, 1.0, "fedavg"));
        config.put("schedule", Map.of("rounds", 1, "roundz", 2));
        assertUnknown("schedule.roundz", api.post("/api/v1/admin/federations", ADMIN, config));
        config.put("schedule", Map.of("rounds", 1));
        config.put("strategy", Map.of("name", "fedavg", "params", Map.of("mu", 0.1)));
        assertUnknown("strategy.params.mu", api.post("/api/v1/admin/federations", ADMIN, config));
        String patch = "/api/v1/admin/federations/" + federation.federationId + "/config";
        assertUnknown("budget", api.send("PATCH", patch, ADMIN, "application/merge-patch+json",
                Map.of("budget", 1)));
    }

    @Test
    void malformedJsonWrongTypesAndMissingMembersKeepTheirFieldNamedAnswers() {
        Api.Reply syntax = api.send("POST", "/api/v1/admin/users", ADMIN, "application/json",
                "{\"username\": ".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, syntax.status());
        assertEquals("malformed-json", syntax.reason());
        String tokens = "/api/v1/admin/federations/" + federation.federationId + "/enrollment-tokens";
        Api.Reply type = api.post(tokens, ADMIN, Map.of("count", "many"));
        assertEquals("malformed-json", type.reason(), type.json()::toString);
        assertEquals("count", type.json().get("field").asString());
        Api.Reply missing = api.post("/api/v1/admin/users", ADMIN, Map.of("username", "nopass", "role", "VIEWER"));
        assertEquals("invalid-field", missing.reason(), missing.json()::toString);
        assertEquals("password", missing.json().get("field").asString());
    }

    @Test
    void theClientApiIgnoresMembersItDoesNotKnow() {
        FederationFixture.Client client = federation.clients.getFirst();
        Api.Reply beat = api.post("/api/v1/client/heartbeat", client.credential(),
                Map.of("numSamples", 777, "batteryPercent", 80));
        assertEquals(200, beat.status(), () -> new String(beat.bytes()));
        JsonNode stored = api.get("/api/v1/admin/federations/" + federation.federationId + "/clients", ADMIN).json()
                .valueStream().filter(c -> c.get("id").asString().equals(client.id())).findFirst().orElseThrow();
        assertEquals(777, stored.get("numSamples").asInt(), stored::toString);
        assertTrue(!stored.toString().contains("batteryPercent"), "an unknown member is not stored");

        String token = api.post("/api/v1/admin/federations/" + federation.federationId + "/enrollment-tokens",
                ADMIN, Map.of()).json().get("tokens").get(0).asString();
        Api.Reply enrolled = api.post("/api/v1/enroll", token, Map.of("name", "newer-sdk", "attestation", "x"));
        assertEquals(201, enrolled.status(), () -> new String(enrolled.bytes()));
    }
}
