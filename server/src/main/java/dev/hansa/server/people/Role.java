package dev.hansa.server.people;

import dev.hansa.server.system.InvalidField;
import java.util.Arrays;

/**
 * What a user may do. ADMIN: everything, users and admin tokens included; OPERATOR: change federations, rounds and
 * clients; VIEWER: read. A user's personal access tokens carry the user's current role.
 */
public enum Role {
    ADMIN, OPERATOR, VIEWER;

    /** The Spring Security authority of this role ({@code ROLE_ADMIN}, ...), which the authorization rules check. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** The role named {@code value} exactly, or a 400 naming {@code field}. */
    static Role parse(String field, String value) {
        if (value == null) {
            throw new InvalidField(field, "is required");
        }
        return Arrays.stream(values()).filter(r -> r.name().equals(value)).findFirst().orElseThrow(() ->
                new InvalidField(field, "must be one of " + Arrays.toString(values())));
    }
}
