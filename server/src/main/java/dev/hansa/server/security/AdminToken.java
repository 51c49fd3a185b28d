package dev.hansa.server.security;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** An admin token row (the secret itself is stored only hashed). */
record AdminToken(UUID id, String name, String kind, OffsetDateTime createdAt, OffsetDateTime revokedAt) {

    static final String CONFIGURED = "configured";
    static final String BOOTSTRAP = "bootstrap";
    static final String ISSUED = "issued";

    boolean revoked() {
        return revokedAt != null;
    }

    Map<String, Object> view() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id.toString());
        out.put("name", name);
        out.put("kind", kind);
        out.put("state", revoked() ? "REVOKED" : "ACTIVE");
        out.put("createdAt", createdAt.toInstant().toString());
        out.put("revokedAt", revoked() ? revokedAt.toInstant().toString() : null);
        return out;
    }
}
