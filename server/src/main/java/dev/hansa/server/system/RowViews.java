package dev.hansa.server.system;

import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.postgresql.util.PGobject;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns SQL rows into API views: camelCase keys, ISO-8601 instants, UUIDs as strings and json/jsonb columns as
 * nested JSON, so list endpoints read the same as the rest of the API.
 */
@Component
public class RowViews {

    private final ObjectMapper json;

    RowViews(ObjectMapper json) {
        this.json = json;
    }

    public List<Map<String, Object>> view(List<Map<String, Object>> rows) {
        return rows.stream().map(this::view).toList();
    }

    public Map<String, Object> view(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((key, value) -> out.put(camel(key), value(value)));
        return out;
    }

    /** A timestamp column as an {@link java.time.Instant} string. */
    public static String instant(Object value) {
        return switch (value) {
            case Timestamp t -> t.toInstant().toString();
            case OffsetDateTime o -> o.toInstant().toString();
            case null -> null;
            default -> value.toString();
        };
    }

    private Object value(Object value) {
        return switch (value) {
            case Timestamp t -> t.toInstant().toString();
            case OffsetDateTime o -> o.toInstant().toString();
            case UUID u -> u.toString();
            case PGobject pg when pg.getType().startsWith("json") && pg.getValue() != null -> json.readTree(pg.getValue());
            case null, default -> value;
        };
    }

    private static String camel(String snake) {
        StringBuilder b = new StringBuilder(snake.length());
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }
}
