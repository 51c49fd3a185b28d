package dev.hansa.aggregation.config;

/**
 * A JSON member held a value its reader refuses: the wrong type (a string where a number belongs), out of range, or
 * null. {@link #field()} is the member's full path, e.g. {@code update.lgreco.every}, so that an API can name it
 * apart from the message, which starts with the same path.
 */
public final class InvalidValueException extends IllegalArgumentException {

    private final String field;

    /**
     * @param field   the full path of the refused member
     * @param message what was refused and what is allowed instead, starting with {@code field}
     */
    public InvalidValueException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
