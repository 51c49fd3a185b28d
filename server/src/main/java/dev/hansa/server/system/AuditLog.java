package dev.hansa.server.system;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/**
 * Appends to the audit log: administrative changes and refused uploads, each with its actor: a user's username (for
 * a password login, a personal access token, or an admin token, which acts as user {@code admin}),
 * {@code client:<id>} for a client, {@value #STARTUP} for the server itself.
 */
@Repository
public class AuditLog {

    /** The actor of what the server does by itself at start (bootstrap admin, admin token rotation). */
    public static final String STARTUP = "system:startup";

    private static final String SQL_INSERT = """
            INSERT INTO audit_log (at, actor, action, target, details)
            VALUES (:at, :actor, :action, :target, CAST(:details AS jsonb))
            """;

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Timestamps time;

    AuditLog(JdbcClient jdbc, ObjectMapper json, Timestamps time) {
        this.jdbc = jdbc;
        this.json = json;
        this.time = time;
    }

    /**
     * Details with the characters PostgreSQL's text and jsonb cannot hold (NUL) escaped: they may quote what a client
     * sent, and a refusal must be recordable whatever it quotes.
     */
    private static Map<String, Object> storable(Map<String, ?> details) {
        Map<String, Object> out = new LinkedHashMap<>();
        details.forEach((k, v) -> out.put(k.replace("\u0000", "\\u0000"),
                v instanceof String s ? s.replace("\u0000", "\\u0000") : v));
        return out;
    }

    /**
     * The actor of the request being served: the name of its authentication, which Hansa's principals define as the
     * user's username or {@code client:<id>}. Refuses to name an anonymous request, which changes nothing.
     */
    public static String currentActor() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken) {
            throw new IllegalStateException("an audited change needs an authenticated caller");
        }
        return auth.getName();
    }

    /** Records a change made by the request being served (see {@link #currentActor()}). */
    public void record(String action, String target, Map<String, ?> details) {
        record(currentActor(), action, target, details);
    }

    public void record(String actor, String action, String target, Map<String, ?> details) {
        jdbc.sql(SQL_INSERT)
                .param("at", time.now())
                .param("actor", actor)
                .param("action", action)
                .param("target", target)
                .param("details", json.writeValueAsString(storable(details)))
                .update();
    }
}
