package dev.hansa.server.security;

import java.security.Principal;
import java.util.UUID;

/**
 * An authenticated client: it may act only within its federation and on its own assignments. Its name,
 * {@code client:<id>}, is the audit log's actor.
 */
public record ClientPrincipal(UUID clientId, UUID federationId) implements Principal {

    @Override
    public String getName() {
        return "client:" + clientId;
    }
}
