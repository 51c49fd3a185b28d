package dev.hansa.server.system;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Bounds on a JSON-shaped value (maps with string keys, lists, strings, numbers, booleans, null) that a client or an
 * admin sent and that is about to be stored, typically as {@code jsonb}: nesting depth, entries in all, key and string
 * lengths, text PostgreSQL can store ({@link StorableText}) and finite numbers. A violation is an {@link InvalidField}
 * naming the value's path, e.g. {@code device.gpu.name} or {@code hiddenLayers[2]}.
 *
 * @param maxDepth        containers nested at most this deep (a flat object is depth 1)
 * @param maxEntries      object members and array elements, counted over the whole value
 * @param maxKeyLength    longest object key
 * @param maxStringLength longest string value
 * @param nullAllowed     whether a member or element may be JSON null (where absent and null would mean two things,
 *                        it may not)
 */
public record JsonShape(int maxDepth, int maxEntries, int maxKeyLength, int maxStringLength, boolean nullAllowed) {

    /** Checks {@code value}, which the request holds under {@code field}; null is accepted. */
    public void check(String field, Object value) {
        if (value != null) {
            new Walk().visit(field, value, 0);
        }
    }

    /** Checks a whole request body; fields are then named from its root ({@code name}, {@code schedule.rounds}). */
    public void checkBody(Object body) {
        check("", body);
    }

    private final class Walk {

        private int entries;

        void visit(String path, Object value, int depth) {
            String name = path.isEmpty() ? "body" : path;
            switch (value) {
                case null -> {
                    if (!nullAllowed) {
                        throw new InvalidField(name, "is null; leave the field out to use its default");
                    }
                }
                case String s -> StorableText.require(name, s, maxStringLength);
                case Double d when !Double.isFinite(d) -> throw new InvalidField(name, "must be a finite number");
                case Float f when !Float.isFinite(f) -> throw new InvalidField(name, "must be a finite number");
                case Boolean _, Double _, Float _, Integer _, Long _, Short _, BigInteger _, BigDecimal _ -> { }
                case Map<?, ?> map -> {
                    enter(name, depth, map.size());
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        if (!(e.getKey() instanceof String key)) {
                            throw new InvalidField(name, "object keys must be strings");
                        }
                        if (key.length() > maxKeyLength) {
                            throw new InvalidField(name, "holds a key longer than " + maxKeyLength + " characters");
                        }
                        String problem = StorableText.problem(key);
                        if (problem != null) {
                            throw new InvalidField(name, "a key " + problem);
                        }
                        visit(path.isEmpty() ? key : path + "." + key, e.getValue(), depth + 1);
                    }
                }
                case List<?> list -> {
                    enter(name, depth, list.size());
                    for (int i = 0; i < list.size(); i++) {
                        visit(path + "[" + i + "]", list.get(i), depth + 1);
                    }
                }
                default -> throw new InvalidField(name, "is not a JSON value");
            }
        }

        private void enter(String path, int depth, int size) {
            if (depth + 1 > maxDepth) {
                throw new InvalidField(path, "nests objects or arrays deeper than " + maxDepth + " levels");
            }
            entries += size;
            if (entries > maxEntries) {
                throw new InvalidField(path, "holds more than " + maxEntries + " entries in all");
            }
        }
    }
}
