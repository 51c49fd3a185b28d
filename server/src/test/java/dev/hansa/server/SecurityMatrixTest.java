package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.hansa.server.console.ConsoleSession;
import dev.hansa.server.console.ConsoleUsers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Every endpoint the server maps, called with every kind of credential, against the status the access policy below
 * expects. The endpoints come from Spring MVC's handler mappings (controllers and actuator), so an endpoint added
 * later is checked without anyone listing it, and one whose path the policy does not cover fails the test.
 *
 * <p>The policy is written here independently of {@code SecurityConfiguration}: allowed means the request got past
 * authorization (any status but 401 and 403; path variables hold dummy ids, so 404 is common); denied means 401
 * with reason invalid-credential for a request without a credential that the path takes, 403 forbidden for any
 * other. Callers are bearer tokens and console sessions: a session is a credential only for the OpenAPI document
 * and Swagger UI (the API takes bearer tokens alone); what sessions may do on the console's own pages is
 * {@code ConsoleSecurityTest}'s.
 */
class SecurityMatrixTest extends EmbeddedServerTest {

    /** Who calls. */
    enum Caller {
        ADMIN, ADMIN_TOKEN, OPERATOR, VIEWER, CLIENT, ANONYMOUS, ADMIN_SESSION, OPERATOR_SESSION, VIEWER_SESSION;

        boolean session() {
            return SESSIONS.containsKey(this);
        }
    }

    /** The console user each session caller logs in as. */
    private static final Map<Caller, String> SESSIONS = Map.of(Caller.ADMIN_SESSION, ConsoleUsers.ADMIN_USER,
            Caller.OPERATOR_SESSION, ConsoleUsers.OPERATOR, Caller.VIEWER_SESSION, ConsoleUsers.VIEWER);
    private static final Set<Caller> USERS =
            EnumSet.of(Caller.ADMIN, Caller.ADMIN_TOKEN, Caller.OPERATOR, Caller.VIEWER);
    private static final Set<Caller> ADMINS = EnumSet.of(Caller.ADMIN, Caller.ADMIN_TOKEN);
    private static final Set<Caller> ADMINS_AND_ADMIN_SESSIONS =
            EnumSet.of(Caller.ADMIN, Caller.ADMIN_TOKEN, Caller.ADMIN_SESSION);
    private static final Set<Caller> CHANGERS = EnumSet.of(Caller.ADMIN, Caller.ADMIN_TOKEN, Caller.OPERATOR);
    private static final Set<Caller> EVERYONE = EnumSet.allOf(Caller.class);
    private static final Set<Caller> NOBODY = EnumSet.noneOf(Caller.class);
    private static final List<String> ALL_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Endpoint ENROLL = new Endpoint("POST", "/api/v1/enroll");
    private static final Endpoint SWAGGER_UI = new Endpoint("GET", "/swagger-ui/index.html");
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}:]+)(?::[^}]*)?}");

    /** One method on one path pattern, as a handler mapping declares it. */
    record Endpoint(String method, String pattern) implements Comparable<Endpoint> {
        @Override
        public int compareTo(Endpoint o) {
            return (pattern + " " + method).compareTo(o.pattern + " " + o.method);
        }

        @Override
        public String toString() {
            return method + " " + pattern;
        }
    }

    @Autowired
    List<RequestMappingInfoHandlerMapping> mappings;

    private Map<Caller, String> tokens;
    private Map<Caller, ConsoleSession> sessions;

    /**
     * Who may call {@code method path}, or null when the policy does not cover the path. Console pages are checked
     * separately ({@link #consolePage}).
     */
    static Set<Caller> allowed(String method, String path) {
        if (path.equals("/error") || path.equals("/actuator/health") || path.startsWith("/actuator/health/")) {
            return EVERYONE;
        }
        if (path.equals("/api/v1/enroll")) {
            return NOBODY; // its one credential is an enrollment token, which the endpoint checks (see check)
        }
        if (path.startsWith("/api/v1/client/")) {
            return EnumSet.of(Caller.CLIENT);
        }
        if (path.equals("/api/v1/me") || path.startsWith("/api/v1/me/")) {
            return USERS;
        }
        if (apiDocs(path)) {
            return ADMINS_AND_ADMIN_SESSIONS;
        }
        if (under(path, "/api/v1/admin/users") || under(path, "/api/v1/admin/admin-tokens")) {
            return ADMINS;
        }
        if (under(path, "/api/v1/admin")) {
            return method.equals("GET") || method.equals("HEAD") ? USERS : CHANGERS;
        }
        if (path.equals("/actuator")) {
            return NOBODY; // the actuator's index of endpoints is not published
        }
        return null;
    }

    /** The OpenAPI document and Swagger UI: the one place besides the console where a console session counts. */
    static boolean apiDocs(String path) {
        return under(path, "/v3/api-docs") || under(path, "/v3/api-docs.yaml") || under(path, "/swagger-ui")
                || path.equals("/swagger-ui.html");
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    @BeforeEach
    void credentials() {
        People people = new People(api, jdbc);
        FederationFixture federation = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
        tokens = new java.util.EnumMap<>(Caller.class);
        tokens.put(Caller.ADMIN, people.create("ADMIN").token());
        tokens.put(Caller.ADMIN_TOKEN, ADMIN);
        tokens.put(Caller.OPERATOR, people.create("OPERATOR").token());
        tokens.put(Caller.VIEWER, people.create("VIEWER").token());
        tokens.put(Caller.CLIENT, federation.clients.getFirst().credential());
        tokens.put(Caller.ANONYMOUS, null);
        ConsoleUsers.ensure(api);
        sessions = new java.util.EnumMap<>(Caller.class);
        SESSIONS.forEach((caller, user) -> sessions.put(caller, new ConsoleSession(port).logIn(user)));
    }

    /**
     * Every (method, pattern) that a handler mapping serves; a mapping without methods serves them all. Swagger UI's
     * page is a static resource, which no request mapping lists, so it is added by name.
     */
    Collection<Endpoint> endpoints() {
        Set<Endpoint> out = new TreeSet<>(List.of(SWAGGER_UI));
        for (RequestMappingInfoHandlerMapping mapping : mappings) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                List<String> names = methods.isEmpty() ? ALL_METHODS : methods.stream().map(Enum::name).toList();
                for (String pattern : info.getPatternValues()) {
                    names.forEach(m -> out.add(new Endpoint(m, pattern)));
                }
            }
        }
        return out;
    }

    /**
     * A concrete path for a pattern: a random UUID for every id, 1 for numbers, 64 zeros for a hash. Ids name nothing,
     * so that no call changes what a later one sees (a real federation would be deleted, a real client revoked).
     */
    private static String path(String pattern) {
        String concrete = pattern.replace("{*path}", "x").replace("/**", "/x");
        Matcher m = VARIABLE.matcher(concrete);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = name.equals("hash") ? "0".repeat(64)
                    : m.group().contains("\\d") ? "1"
                    : UUID.randomUUID().toString();
            m.appendReplacement(b, value);
        }
        return m.appendTail(b).toString();
    }

    @Test
    void theEndpointListIsComplete() {
        Set<String> listed = new TreeSet<>();
        endpoints().forEach(e -> listed.add(e.toString()));
        for (String known : List.of("GET /api/v1/admin/federations", "POST /api/v1/admin/users",
                "POST /api/v1/me/tokens", "PUT /api/v1/client/rounds/{roundId}/update", "POST /api/v1/enroll",
                "GET /actuator/health", "POST /api/v1/admin/admin-tokens/{tokenId}/revoke", "GET /v3/api-docs",
                "GET /swagger-ui.html")) {
            assertTrue(listed.contains(known), () -> known + " is missing from " + listed);
        }
    }

    @TestFactory
    Stream<DynamicContainer> everyEndpointAnswersEveryCallerAsThePolicySays() {
        List<DynamicContainer> out = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            List<DynamicTest> calls = new ArrayList<>();
            for (Caller caller : Caller.values()) {
                calls.add(DynamicTest.dynamicTest(caller.name(), () -> check(endpoint, caller)));
            }
            out.add(DynamicContainer.dynamicContainer(endpoint.toString(), calls));
        }
        return out.stream();
    }

    private void check(Endpoint endpoint, Caller caller) {
        if (caller.session() && endpoint.pattern().startsWith("/console")) {
            return; // the console's own policy for its users: ConsoleSecurityTest
        }
        String path = path(endpoint.pattern());
        Api.Reply reply = caller.session()
                ? Api.Reply.of(sessions.get(caller).exchange(endpoint.method(), path, null))
                : api.exchange(endpoint.method(), path, tokens.get(caller));
        String what = endpoint + " (" + endpoint.method() + " " + path + ") as " + caller + " answered "
                + reply.status() + " " + new String(reply.bytes());
        if (endpoint.pattern().startsWith("/console")) {
            consolePage(endpoint, reply, what);
            return;
        }
        Set<Caller> allowed = allowed(endpoint.method(), endpoint.pattern());
        if (allowed == null) {
            fail(endpoint + " is not covered by the access policy: add it to SecurityConfiguration's rules and to "
                    + "SecurityMatrixTest.allowed");
        }
        if (endpoint.equals(ENROLL)) {
            // Past the filter chain for everyone, then refused by the endpoint itself: no caller here holds an
            // enrollment token, and no other credential enrolls.
            assertEquals(401, reply.status(), what);
            assertEquals("invalid-credential", reply.reason(), what);
        } else if (allowed.contains(caller)) {
            assertNotEquals(401, reply.status(), what);
            assertNotEquals(403, reply.status(), what);
        } else if (caller == Caller.ANONYMOUS || caller.session() && !apiDocs(endpoint.pattern())) {
            assertEquals(401, reply.status(), what);
            assertEquals("invalid-credential", reply.reason(), what);
        } else {
            assertEquals(403, reply.status(), what);
            assertEquals("forbidden", reply.reason(), what);
        }
    }

    /**
     * Console pages take a session from the console's form login, never a bearer token: whatever token a request
     * holds, a page other than the login page sends it to log in (or refuses it).
     */
    private static void consolePage(Endpoint endpoint, Api.Reply reply, String what) {
        if (endpoint.pattern().startsWith("/console/login")) {
            return;
        }
        int status = reply.status();
        boolean toLogin = status >= 300 && status < 400
                && reply.raw().headers().firstValue("Location").orElse("").contains("/console/login");
        assertTrue(toLogin || status == 401 || status == 403, what);
    }
}
