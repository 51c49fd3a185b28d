package dev.hansa.server.security;

import dev.hansa.server.system.AuditLog;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.InvalidField;
import dev.hansa.server.system.Secrets;
import dev.hansa.server.system.StorableText;
import dev.hansa.server.system.Timestamps;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Admin tokens: the configured one ({@code hansa.admin-token}), a generated bootstrap one, and tokens issued through
 * the admin API. Every issue and revocation is audit-logged in its own transaction.
 */
@Service
class AdminTokens {

    static final int MAX_NAME = 100;

    /** A token as issued: the secret is returned once and stored only hashed. */
    record Issued(AdminToken token, String secret) {
    }

    private final CredentialRepository credentials;
    private final AuditLog audit;
    private final Timestamps time;

    AdminTokens(CredentialRepository credentials, AuditLog audit, Timestamps time) {
        this.credentials = credentials;
        this.audit = audit;
        this.time = time;
    }

    List<AdminToken> all() {
        return credentials.adminTokens();
    }

    @Transactional
    Issued issue(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidField("name", "is required");
        }
        String clean = StorableText.require("name", name.strip(), MAX_NAME);
        String secret = Secrets.generate("ha_");
        UUID id = credentials.addAdminToken(secret, clean, AdminToken.ISSUED, time.now());
        audit.record("admin-token.issue", id.toString(), Map.of("name", clean));
        return new Issued(credentials.adminToken(id).orElseThrow(), secret);
    }

    /**
     * Revokes a token; revoking a revoked one changes nothing. The last active token cannot be revoked, since nobody
     * could then administer the server until a restart with a new {@code hansa.admin-token}.
     */
    @Transactional
    AdminToken revoke(UUID id) {
        int active = credentials.lockActiveAdminTokens();
        AdminToken token = credentials.adminToken(id).orElseThrow(() ->
                new HansaProblem(HttpStatus.NOT_FOUND, "unknown-admin-token", "no admin token " + id));
        if (token.revoked()) {
            return token;
        }
        if (active <= 1) {
            throw new HansaProblem(HttpStatus.CONFLICT, "last-admin-token",
                    "admin token " + id + " is the last active one; issue another before revoking it");
        }
        credentials.revokeAdminToken(id, time.now());
        audit.record("admin-token.revoke", id.toString(), Map.of("name", token.name(), "kind", token.kind()));
        return credentials.adminToken(id).orElseThrow();
    }

    /**
     * Makes {@code secret} the configured token: registers it and revokes every other configured token (rotation)
     * and every bootstrap token (a generated token was printed to a log and is only meant to last until an operator
     * configures one). Refuses a secret that was revoked before: rotating back to an old token would undo the
     * rotation, so the operator must configure a new one.
     */
    @Transactional
    void configure(String secret) {
        credentials.lockAdminTokens();
        Optional<AdminToken> existing = credentials.adminToken(secret);
        if (existing.filter(AdminToken::revoked).isPresent()) {
            throw new IllegalStateException("hansa.admin-token holds a token that was revoked at "
                    + existing.get().revokedAt().toInstant() + "; configure a new one (it must start with 'ha_')");
        }
        OffsetDateTime now = time.now();
        if (existing.isEmpty()) {
            UUID id = credentials.addAdminToken(secret, AdminToken.CONFIGURED, AdminToken.CONFIGURED, now);
            audit.record(AuditLog.STARTUP, "admin-token.configure", id.toString(), Map.of());
        }
        for (String kind : List.of(AdminToken.CONFIGURED, AdminToken.BOOTSTRAP)) {
            for (UUID revoked : credentials.revokeAdminTokens(kind, secret, now)) {
                audit.record(AuditLog.STARTUP, "admin-token.revoke", revoked.toString(),
                        Map.of("kind", kind, "why", "hansa.admin-token changed"));
            }
        }
    }

    /** A new bootstrap token when no admin token is active, so that someone can get in; empty otherwise. */
    @Transactional
    Optional<String> bootstrapIfNone() {
        credentials.lockAdminTokens();
        if (credentials.lockActiveAdminTokens() > 0) {
            return Optional.empty();
        }
        String secret = Secrets.generate("ha_");
        UUID id = credentials.addAdminToken(secret, AdminToken.BOOTSTRAP, AdminToken.BOOTSTRAP, time.now());
        audit.record(AuditLog.STARTUP, "admin-token.bootstrap", id.toString(), Map.of());
        return Optional.of(secret);
    }
}
