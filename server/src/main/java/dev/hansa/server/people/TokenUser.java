package dev.hansa.server.people;

import java.security.Principal;
import java.util.UUID;

/**
 * A user acting through a bearer token: one of their personal access tokens, or an admin token, which acts as the
 * bootstrap admin. The role is the user's at the time of the request, so a role change applies to the next request.
 * Its name, the username, is the audit log's actor.
 *
 * @param tokenId the personal access token's or the admin token's id
 */
public record TokenUser(UUID userId, String username, Role role, Kind kind, UUID tokenId) implements Principal {

    /** Which kind of token authenticated the request. */
    public enum Kind { PERSONAL_ACCESS_TOKEN, ADMIN_TOKEN }

    @Override
    public String getName() {
        return username;
    }
}
