package dev.hansa.server.people;

import dev.hansa.server.system.Secrets;
import dev.hansa.server.system.Timestamps;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Who a bearer token acts as: the owner of a personal access token, or the bootstrap admin for an admin token. Either
 * acts only while its user is enabled, and with the user's role at the time of the request.
 */
@Service
public class TokenAuthentication {

    /** The prefix of every personal access token's secret (admin tokens start with ha_, client credentials hc_). */
    public static final String PREFIX = "hp_";

    private final AccessTokenRepository tokens;
    private final UserRepository users;
    private final Timestamps time;

    TokenAuthentication(AccessTokenRepository tokens, UserRepository users, Timestamps time) {
        this.tokens = tokens;
        this.users = users;
        this.time = time;
    }

    /** The user of an active personal access token whose owner is enabled; records the token's use. */
    public Optional<TokenUser> personal(String secret) {
        return tokens.use(Secrets.hash(secret), time.nowAsStored());
    }

    /**
     * Why {@link #personal} refused {@code secret}, in words for the 401 answer. A known token that is neither revoked
     * nor its user's disabled was refused for its expiry (which the database compared, at its own precision).
     */
    public String refusal(String secret) {
        return tokens.standing(Secrets.hash(secret)).map(t -> {
            if (t.revokedAt() != null) {
                return "this personal access token was revoked at " + t.revokedAt().toInstant();
            }
            if (!t.enabled()) {
                return "user " + t.username() + " is disabled";
            }
            return "this personal access token expired at " + t.expiresAt().toInstant();
        }).orElse("no such personal access token");
    }

    /** The bootstrap admin as the user of admin token {@code adminTokenId}, while that user is enabled. */
    public Optional<TokenUser> bootstrapAdmin(UUID adminTokenId) {
        return users.find(Usernames.BOOTSTRAP_ADMIN).filter(User::enabled)
                .map(u -> new TokenUser(u.id(), u.username(), u.role(), TokenUser.Kind.ADMIN_TOKEN, adminTokenId));
    }
}
