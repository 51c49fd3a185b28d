package dev.hansa.server.federation;

import dev.hansa.aggregation.strategy.Strategies;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.client.model.ModelArchitectures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A federation's configuration as submitted (see docs/protocol.md), validated on construction: every error names
 * the field. {@code model.architecture} {@value #CUSTOM} means the admin uploads the initial model as safetensors.
 */
public record FederationConfig(String name, String architecture, Map<String, Object> modelParams, long modelSeed,
                               String strategyName, Map<String, Object> strategyParams, Map<String, Object> training,
                               Schedule schedule, long seed) {

    public static final String CUSTOM = "custom";

    /** When rounds happen and when they count. */
    public record Schedule(int rounds, double clientFraction, int minClients, int maxClients, int roundDeadlineSeconds,
                           double quorumFraction, int maxAttempts) {

        /** Accepted updates a round with {@code participants} needs to close. */
        public int quorum(int participants) {
            return Math.max(1, (int) Math.ceil(quorumFraction * participants - 1e-9));
        }
    }

    /** Parses and validates the JSON body of a create-federation request. */
    @SuppressWarnings("unchecked")
    public static FederationConfig parse(Map<String, Object> body) {
        Fields root = new Fields("", body, Set.of("name", "model", "strategy", "training", "schedule", "seed"));
        String name = root.string("name");
        if (name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("name must hold 1..200 characters");
        }
        Fields model = root.object("model", Set.of("architecture", "params", "seed"));
        String architecture = model.string("architecture");
        Map<String, Object> modelParams = model.optionalObject("params");
        if (!architecture.equals(CUSTOM)) {
            ModelArchitectures.create(architecture, modelParams);
        }
        Fields strategy = root.object("strategy", Set.of("name", "params"));
        String strategyName = strategy.string("name");
        Map<String, Object> strategyParams = strategy.optionalObject("params");
        Map<String, Object> training = root.optionalObject("training");
        Fields s = root.object("schedule", Set.of("rounds", "clientFraction", "minClients", "maxClients",
                "roundDeadlineSeconds", "quorumFraction", "maxAttempts"));
        Schedule schedule = new Schedule(
                (int) s.integer("rounds", null, 1, 1_000_000),
                s.real("clientFraction", 1.0),
                (int) s.integer("minClients", 1L, 1, 1_000_000),
                (int) s.integer("maxClients", 1_000_000L, 1, 1_000_000),
                (int) s.integer("roundDeadlineSeconds", 600L, 1, 7 * 24 * 3600),
                s.real("quorumFraction", 0.5),
                (int) s.integer("maxAttempts", 3L, 1, 1000));
        if (!(schedule.clientFraction() > 0 && schedule.clientFraction() <= 1)) {
            throw new IllegalArgumentException("schedule.clientFraction must be in (0, 1]: " + schedule.clientFraction());
        }
        if (!(schedule.quorumFraction() > 0 && schedule.quorumFraction() <= 1)) {
            throw new IllegalArgumentException("schedule.quorumFraction must be in (0, 1]: " + schedule.quorumFraction());
        }
        if (schedule.minClients() > schedule.maxClients()) {
            throw new IllegalArgumentException("schedule.minClients (" + schedule.minClients()
                    + ") must not exceed schedule.maxClients (" + schedule.maxClients() + ")");
        }
        FederationConfig config = new FederationConfig(name, architecture, modelParams,
                model.integer("seed", 0L, Long.MIN_VALUE, Long.MAX_VALUE), strategyName, strategyParams, training,
                schedule, root.integer("seed", 0L, Long.MIN_VALUE, Long.MAX_VALUE));
        config.strategy(); // validates the strategy section and the training section together
        return config;
    }

    /** A fresh strategy object for this configuration (strategies are immutable; callers may cache it). */
    public Strategy strategy() {
        return configured().strategy();
    }

    /** The strategy's parameters with every default filled in: what each round records it ran with. */
    public Map<String, Object> effectiveStrategyParams() {
        return configured().effectiveParams();
    }

    private Strategies.Configured configured() {
        TrainingConfig defaults;
        try {
            defaults = Strategies.defaultTraining(strategyName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("strategy.name: " + e.getMessage());
        }
        return Strategies.configure(strategyName, strategyParams, TrainingConfig.fromMap(training, defaults));
    }

    /** The configuration as stored (JSON-shaped). */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("model", Map.of("architecture", architecture, "params", modelParams, "seed", modelSeed));
        out.put("strategy", Map.of("name", strategyName, "params", strategyParams));
        out.put("training", training);
        out.put("schedule", Map.of("rounds", schedule.rounds(), "clientFraction", schedule.clientFraction(),
                "minClients", schedule.minClients(), "maxClients", schedule.maxClients(),
                "roundDeadlineSeconds", schedule.roundDeadlineSeconds(), "quorumFraction", schedule.quorumFraction(),
                "maxAttempts", schedule.maxAttempts()));
        out.put("seed", seed);
        return out;
    }

    /** Typed access to one JSON object with field paths in every message. */
    private record Fields(String path, Map<String, Object> map, Set<String> allowed) {

        Fields {
            if (map == null) {
                throw new IllegalArgumentException((path.isEmpty() ? "body" : path) + " is required");
            }
            for (String key : map.keySet()) {
                if (!allowed.contains(key)) {
                    throw new IllegalArgumentException(name(key) + " is not a known field; allowed: " + List.copyOf(allowed));
                }
            }
        }

        String name(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        String string(String key) {
            if (!(map.get(key) instanceof String s)) {
                throw new IllegalArgumentException(name(key) + " is required and must be a string");
            }
            return s;
        }

        @SuppressWarnings("unchecked")
        Fields object(String key, Set<String> keys) {
            Object value = map.get(key);
            if (!(value instanceof Map<?, ?>)) {
                throw new IllegalArgumentException(name(key) + " is required and must be an object");
            }
            return new Fields(name(key), (Map<String, Object>) value, keys);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> optionalObject(String key) {
            Object value = map.get(key);
            if (value == null) {
                return Map.of();
            }
            if (!(value instanceof Map<?, ?>)) {
                throw new IllegalArgumentException(name(key) + " must be an object");
            }
            return (Map<String, Object>) value;
        }

        long integer(String key, Long fallback, long min, long max) {
            Object value = map.get(key);
            if (value == null) {
                if (fallback == null) {
                    throw new IllegalArgumentException(name(key) + " is required");
                }
                return fallback;
            }
            if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                    || n.doubleValue() < min || n.doubleValue() > max) {
                throw new IllegalArgumentException(name(key) + " must be an integer in [" + min + ", " + max + "]: " + value);
            }
            return n.longValue();
        }

        double real(String key, double fallback) {
            Object value = map.get(key);
            if (value == null) {
                return fallback;
            }
            if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw new IllegalArgumentException(name(key) + " must be a finite number: " + value);
            }
            return n.doubleValue();
        }
    }
}
