package dev.hansa.server.security;

import dev.hansa.server.people.Users;
import dev.hansa.server.system.HansaProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Before the server accepts its first request: creates the bootstrap admin user {@code admin} at the first start,
 * printing its password once when it was generated (see {@link Users#bootstrapAdmin()}), and settles the admin
 * tokens, which act as that user: registers {@code hansa.admin-token} when set, revoking the token configured before
 * it and any bootstrap token; otherwise, when no admin token is active, generates a bootstrap token and prints it
 * once. Removing the setting leaves the last configured token valid.
 */
@Component
class AdminBootstrap implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);
    private final AdminTokens tokens;
    private final Users users;
    private final HansaProperties properties;

    AdminBootstrap(AdminTokens tokens, Users users, HansaProperties properties) {
        this.tokens = tokens;
        this.users = users;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        users.bootstrapAdmin().ifPresent(password -> log.warn(
                "generated the password of the bootstrap admin user 'admin' (shown once, stored hashed): {}",
                password));
        String configured = properties.adminToken();
        if (!configured.isBlank()) {
            if (!configured.startsWith("ha_") || configured.length() < 20
                    || configured.length() > BearerTokenFilter.MAX_TOKEN) {
                throw new IllegalStateException("hansa.admin-token must start with 'ha_' and hold 20 to "
                        + BearerTokenFilter.MAX_TOKEN + " characters");
            }
            tokens.configure(configured);
        } else {
            tokens.bootstrapIfNone().ifPresent(token ->
                    log.warn("generated the bootstrap admin token (shown once, stored hashed): {}", token));
        }
    }
}
