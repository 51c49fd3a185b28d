package dev.hansa.server.client;

import java.util.UUID;

/**
 * A client's credential was revoked, published inside the revoking transaction: the round feature drops the
 * client's open assignments, so rounds waiting for it close as soon as everyone else has reported.
 */
public record ClientRevoked(UUID clientId, UUID federationId) {
}
