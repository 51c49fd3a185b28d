package dev.hansa.server.people;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A user row without its password hash, which never leaves {@link UserRepository}'s credential query. */
record User(UUID id, String username, Role role, boolean enabled, OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {

    Map<String, Object> view() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id.toString());
        out.put("username", username);
        out.put("role", role.name());
        out.put("enabled", enabled);
        out.put("createdAt", createdAt.toInstant().toString());
        out.put("updatedAt", updatedAt.toInstant().toString());
        return out;
    }
}
