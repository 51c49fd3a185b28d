package dev.hansa.server.security;

import java.security.Principal;
import java.util.UUID;

/**
 * An authenticated admin token. Its name, as the audit log's actor, carries the token's id, since names need not be
 * unique (every configured token is called "configured").
 */
record AdminPrincipal(UUID tokenId, String tokenName) implements Principal {

    @Override
    public String getName() {
        return tokenName + "#" + tokenId;
    }
}
