package dev.hansa.server.security;

import java.util.UUID;

/** An authenticated client: it may act only within its federation and on its own assignments. */
public record ClientPrincipal(UUID clientId, UUID federationId) {
}
