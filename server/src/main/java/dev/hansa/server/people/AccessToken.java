package dev.hansa.server.people;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A personal access token row with its owner's name (the secret itself is stored only hashed). */
record AccessToken(UUID id, UUID userId, String username, String name, OffsetDateTime createdAt,
                   OffsetDateTime expiresAt, OffsetDateTime lastUsedAt, OffsetDateTime revokedAt) {

    /** ACTIVE, EXPIRED or REVOKED at {@code now}. */
    String state(OffsetDateTime now) {
        return revokedAt != null ? "REVOKED" : expiresAt.isAfter(now) ? "ACTIVE" : "EXPIRED";
    }

    Map<String, Object> view(OffsetDateTime now) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id.toString());
        out.put("username", username);
        out.put("name", name);
        out.put("state", state(now));
        out.put("createdAt", createdAt.toInstant().toString());
        out.put("expiresAt", expiresAt.toInstant().toString());
        out.put("lastUsedAt", lastUsedAt == null ? null : lastUsedAt.toInstant().toString());
        out.put("revokedAt", revokedAt == null ? null : revokedAt.toInstant().toString());
        return out;
    }
}
