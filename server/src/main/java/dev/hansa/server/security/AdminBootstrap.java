package dev.hansa.server.security;

import dev.hansa.server.system.HansaProperties;
import dev.hansa.server.system.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Makes sure an admin can get in: registers {@code hansa.admin-token} when set, otherwise generates a token on the
 * first start (no admin token in the database) and prints it once.
 */
@Component
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);
    private final CredentialRepository credentials;
    private final HansaProperties properties;

    AdminBootstrap(CredentialRepository credentials, HansaProperties properties) {
        this.credentials = credentials;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        String configured = properties.adminToken();
        if (!configured.isBlank()) {
            if (!configured.startsWith("ha_") || configured.length() < 20) {
                throw new IllegalStateException("hansa.admin-token must start with 'ha_' and hold at least 17 more characters");
            }
            credentials.addAdminToken(configured, "configured");
        } else if (credentials.activeAdminTokens() == 0) {
            String token = Secrets.generate("ha_");
            credentials.addAdminToken(token, "bootstrap");
            log.warn("generated the bootstrap admin token (shown once, stored hashed): {}", token);
        }
    }
}
