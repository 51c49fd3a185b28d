package dev.hansa.server.federation;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** An enrollment token row (the secret itself is stored only hashed). */
record EnrollmentToken(UUID id, OffsetDateTime createdAt, OffsetDateTime expiresAt, OffsetDateTime usedAt,
                       UUID usedBy, OffsetDateTime revokedAt) {

    static final String ACTIVE = "ACTIVE";
    static final String USED = "USED";
    static final String EXPIRED = "EXPIRED";
    static final String REVOKED = "REVOKED";

    String state(OffsetDateTime now) {
        if (revokedAt != null) {
            return REVOKED;
        }
        if (usedAt != null) {
            return USED;
        }
        return expiresAt.isAfter(now) ? ACTIVE : EXPIRED;
    }

    Map<String, Object> view(OffsetDateTime now) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id.toString());
        out.put("state", state(now));
        out.put("createdAt", instant(createdAt));
        out.put("expiresAt", instant(expiresAt));
        out.put("usedAt", instant(usedAt));
        out.put("usedBy", usedBy == null ? null : usedBy.toString());
        out.put("revokedAt", instant(revokedAt));
        return out;
    }

    private static String instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant().toString();
    }
}
