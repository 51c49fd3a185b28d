package dev.hansa.server.system;

import org.springframework.http.HttpStatus;

/**
 * A request field whose value Hansa cannot accept or store: {@code 400 invalid-field}, with the field's path in the
 * problem detail's {@code field} member and at the start of its {@code detail}.
 */
public class InvalidField extends HansaProblem {

    private final String field;

    public InvalidField(String field, String why) {
        super(HttpStatus.BAD_REQUEST, "invalid-field", field + ": " + why);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
