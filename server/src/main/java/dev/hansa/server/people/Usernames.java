package dev.hansa.server.people;

import dev.hansa.server.system.InvalidField;
import java.util.regex.Pattern;

/**
 * What a username must be (the same rule as the users table's check): 1 to 64 characters, lower-case letters,
 * digits and {@code . _ @ -}, starting with a letter or digit. Lower case only, so two users never differ by case
 * alone; no ':', so a username never reads like the audit log's {@code client:<id>} or {@code system:startup}.
 */
final class Usernames {

    /** The bootstrap admin, created at the first start; the admin tokens act as this user. */
    static final String BOOTSTRAP_ADMIN = "admin";
    private static final Pattern FORM = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");

    private Usernames() {
    }

    static String require(String field, String username) {
        if (username == null || username.isEmpty()) {
            throw new InvalidField(field, "is required");
        }
        if (!FORM.matcher(username).matches()) {
            throw new InvalidField(field, "must be 1 to 64 lower-case letters, digits or . _ @ -, "
                    + "starting with a letter or digit");
        }
        return username;
    }
}
