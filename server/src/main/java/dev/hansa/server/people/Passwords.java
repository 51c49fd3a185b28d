package dev.hansa.server.people;

import dev.hansa.server.system.InvalidField;
import dev.hansa.server.system.Secrets;
import dev.hansa.server.system.StorableText;
import java.nio.charset.StandardCharsets;

/**
 * What a password must be: 12 characters at least, and at most 72 bytes in UTF-8, which is all that bcrypt (the
 * password encoder's default) reads; Spring Security refuses longer ones rather than ignore the rest.
 */
final class Passwords {

    static final int MIN_LENGTH = 12;
    static final int MAX_BYTES = 72;

    private Passwords() {
    }

    static String require(String field, String password) {
        if (password == null || password.isEmpty()) {
            throw new InvalidField(field, "is required");
        }
        StorableText.require(field, password, MAX_BYTES);
        if (password.codePointCount(0, password.length()) < MIN_LENGTH) {
            throw new InvalidField(field, "must hold at least " + MIN_LENGTH + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidField(field, "must take at most " + MAX_BYTES + " bytes in UTF-8");
        }
        return password;
    }

    /** A random password of 43 base64url characters (256 bits). */
    static String generate() {
        return Secrets.generate("");
    }
}
