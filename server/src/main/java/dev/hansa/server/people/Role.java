package dev.hansa.server.people;

/**
 * What a user may do. ADMIN: everything, users and admin tokens included; OPERATOR: change federations, rounds and
 * clients; VIEWER: read. A user's personal access tokens carry the user's current role.
 */
enum Role {
    ADMIN, OPERATOR, VIEWER;

    /** The Spring Security authority of this role ({@code ROLE_ADMIN}, ...), which the authorization rules check. */
    public String authority() {
        return "ROLE_" + name();
    }
}
