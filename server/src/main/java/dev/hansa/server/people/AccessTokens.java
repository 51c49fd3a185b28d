package dev.hansa.server.people;

import dev.hansa.server.system.AuditLog;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.InvalidField;
import dev.hansa.server.system.Secrets;
import dev.hansa.server.system.StorableText;
import dev.hansa.server.system.Timestamps;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Personal access tokens: a user creates, lists and revokes their own; an ADMIN may list and revoke anyone's. The
 * secret is returned once at creation and stored only hashed. Creation and revocation are audit-logged.
 */
@Service
class AccessTokens {

    static final int MAX_NAME = 100;
    static final int DEFAULT_DAYS = 30;
    static final int MAX_DAYS = 366;

    /** A token as created: the secret is returned once. */
    record Issued(AccessToken token, String secret) {
    }

    private final AccessTokenRepository tokens;
    private final AuditLog audit;
    private final Timestamps time;

    AccessTokens(AccessTokenRepository tokens, AuditLog audit, Timestamps time) {
        this.tokens = tokens;
        this.audit = audit;
        this.time = time;
    }

    /** A token of {@code owner} named {@code name} that expires {@code expiresInDays} days from now (default 30). */
    @Transactional
    Issued create(User owner, String name, Integer expiresInDays) {
        if (name == null || name.isBlank()) {
            throw new InvalidField("name", "is required");
        }
        String clean = StorableText.require("name", name.strip(), MAX_NAME);
        int days = expiresInDays == null ? DEFAULT_DAYS : expiresInDays;
        if (days < 1 || days > MAX_DAYS) {
            throw new InvalidField("expiresInDays", "must be between 1 and " + MAX_DAYS);
        }
        String secret = Secrets.generate(TokenAuthentication.PREFIX);
        UUID id = UUID.randomUUID();
        OffsetDateTime now = time.nowAsStored();
        tokens.insert(id, owner.id(), Secrets.hash(secret), clean, now, now.plusDays(days));
        audit.record("access-token.create", id.toString(),
                Map.of("username", owner.username(), "name", clean, "expiresInDays", days));
        return new Issued(tokens.find(id).orElseThrow(), secret);
    }

    List<Map<String, Object>> views(UUID owner) {
        OffsetDateTime now = time.nowAsStored();
        return tokens.ofUser(owner).stream().map(t -> t.view(now)).toList();
    }

    Map<String, Object> view(AccessToken token) {
        return token.view(time.nowAsStored());
    }

    /**
     * Revokes {@code owner}'s token {@code tokenId}; a token of someone else is unknown here. Revoking a revoked
     * token changes nothing.
     */
    @Transactional
    AccessToken revoke(UUID owner, UUID tokenId) {
        AccessToken token = tokens.find(tokenId).filter(t -> t.userId().equals(owner)).orElseThrow(() ->
                new HansaProblem(HttpStatus.NOT_FOUND, "unknown-access-token", "no access token " + tokenId
                        + " of this user"));
        if (tokens.revoke(tokenId, time.nowAsStored())) {
            audit.record("access-token.revoke", tokenId.toString(),
                    Map.of("username", token.username(), "name", token.name()));
        }
        return tokens.find(tokenId).orElseThrow();
    }
}
