package dev.hansa.server.audit;

import dev.hansa.server.system.InvalidField;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A validated question to the audit log: exact matches on actor, action and target, a time range (from inclusive, to
 * exclusive), one page of newest-first entries. Every refusal names its query parameter.
 *
 * @param from null: from the first entry
 * @param to   null: up to now
 */
record AuditLogQuery(String actor, String action, String target, OffsetDateTime from, OffsetDateTime to, int page,
                     int size) {

    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 500;
    /** Deep pages cost a scan of everything before them; narrow the range instead. */
    static final int MAX_PAGE = 10_000;
    private static final int MAX_TEXT = 200;

    /** Parses the query parameters as sent (each may be null). */
    static AuditLogQuery of(String actor, String action, String target, String from, String to, Integer page,
                            Integer size) {
        OffsetDateTime start = instant("from", from);
        OffsetDateTime end = instant("to", to);
        if (start != null && end != null && end.isBefore(start)) {
            throw new InvalidField("to", "must not be before from (" + from + "): " + to);
        }
        int p = page == null ? 0 : page;
        if (p < 0 || p > MAX_PAGE) {
            throw new InvalidField("page", "must be in [0, " + MAX_PAGE + "]: " + p);
        }
        int s = size == null ? DEFAULT_SIZE : size;
        if (s < 1 || s > MAX_SIZE) {
            throw new InvalidField("size", "must be in [1, " + MAX_SIZE + "]: " + s);
        }
        return new AuditLogQuery(text("actor", actor), text("action", action), text("target", target), start, end, p,
                s);
    }

    private static String text(String name, String value) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > MAX_TEXT || value.indexOf('\u0000') >= 0) {
            throw new InvalidField(name, "must hold 1.." + MAX_TEXT + " characters and no NUL");
        }
        return value;
    }

    private static OffsetDateTime instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value).atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new InvalidField(name, "must be an ISO-8601 instant such as 2026-11-27T18:00:00Z: " + value);
        }
    }
}
