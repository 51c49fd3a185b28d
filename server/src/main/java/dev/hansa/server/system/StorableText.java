package dev.hansa.server.system;

/**
 * Text that PostgreSQL stores exactly as sent. It refuses a NUL character in {@code text} and in {@code jsonb}
 * strings, and the JDBC driver would write an unpaired surrogate (which Jackson decodes from an escape such as
 * {@code "\ud800"}) as '?'; both are refused here, with the field named, before anything reaches the database.
 */
public final class StorableText {

    private StorableText() {
    }

    /** {@code value} unchanged when it is null or storable text of at most {@code maxLength} UTF-16 units. */
    public static String require(String field, String value, int maxLength) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxLength) {
            throw new InvalidField(field, "longer than " + maxLength + " characters");
        }
        String problem = problem(value);
        if (problem != null) {
            throw new InvalidField(field, problem);
        }
        return value;
    }

    /** Why {@code value} cannot be stored, or null when it can. */
    static String problem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                return "contains a NUL character (U+0000) at index " + i + ", which PostgreSQL cannot store";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired surrogate (U+" + Integer.toHexString(c).toUpperCase() + ") at index " + i
                        + ", which is not valid Unicode";
            }
        }
        return null;
    }
}
