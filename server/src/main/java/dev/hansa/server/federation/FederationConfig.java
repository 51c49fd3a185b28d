package dev.hansa.server.federation;

import dev.hansa.aggregation.architecture.Architectures;
import dev.hansa.aggregation.config.InvalidValueException;
import dev.hansa.aggregation.config.UnknownFieldException;
import dev.hansa.aggregation.round.RoundConfig;
import dev.hansa.aggregation.sampling.Samplers;
import dev.hansa.aggregation.update.lgreco.LGreCoSettings;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.JsonShape;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A federation's configuration as submitted (see docs/protocol.md), validated on construction: every error is an
 * {@link IllegalArgumentException}, or a {@link HansaProblem} for malformed JSON or a bound of {@link #SHAPE}, that
 * names the field.
 * {@code model.architecture} {@value #CUSTOM} means the admin uploads the initial model as safetensors. The sections
 * that decide how rounds run (strategy, training, update, robustness, privacy, the sampler) are parsed by
 * {@link RoundConfig}, the parser the {@code simulate} command uses too.
 */
public record FederationConfig(String name, String architecture, Map<String, Object> modelParams, long modelSeed,
                               String strategyName, Map<String, Object> strategyParams, Map<String, Object> training,
                               Map<String, Object> update, Map<String, Object> robustness, Schedule schedule,
                               long seed, Map<String, Object> privacy) {

    public static final String CUSTOM = "custom";
    /** Largest accepted request body; a config with the largest mlp allowed takes about 8 KB. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /**
     * Model-sized float32 buffers the server may hold at once for a federation (initial weights, blobs, optimizer
     * state, running aggregate, uploads in flight and those the fold holds back, the next model): a built-in model
     * must fit this many times in the heap.
     */
    public static final int MODEL_COPIES = 16;
    /** Bounds on the parsed body: text PostgreSQL can store, no JSON null, sizes no config needs to exceed. */
    static final JsonShape SHAPE = new JsonShape(6, 1_000, 64, 200, false);

    /**
     * Strict JSON: a name given twice or anything after the object is an error (a lenient reader keeps one of two
     * values silently), and nesting beyond what a config needs is refused before it costs anything.
     */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** When rounds happen, who takes part and when they count. */
    public record Schedule(int rounds, String sampler, double clientFraction, int minClients, int maxClients,
                           int roundDeadlineSeconds, double quorumFraction, int maxAttempts) {

        /** Accepted updates a round with {@code participants} needs to close (none for an empty Poisson draw). */
        public int quorum(int participants) {
            return participants == 0 ? 0 : Math.max(1, (int) Math.ceil(quorumFraction * participants - 1e-9));
        }

        RoundConfig.Sampling sampling() {
            return new RoundConfig.Sampling(sampler, clientFraction, minClients, maxClients);
        }
    }

    /**
     * Parses and validates the JSON body of a create-federation request, including that the server can hold its
     * model: a built-in model must fit {@value #MODEL_COPIES} times in this JVM's maximum heap.
     *
     * @throws IllegalArgumentException naming the field
     * @throws HansaProblem             {@code malformed-json} naming the line and column of a JSON syntax error, or
     *                                  {@code invalid-field} for a bound of {@link #SHAPE}
     */
    public static FederationConfig parse(byte[] json) {
        return parse(json, Runtime.getRuntime().maxMemory());
    }

    /** {@link #parse(byte[])} for a server whose heap holds {@code heapBytes}. */
    static FederationConfig parse(byte[] json, long heapBytes) {
        if (json.length > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("body: a federation config is at most " + MAX_BODY_BYTES
                    + " bytes, this one has " + json.length);
        }
        FederationConfig config = parse(readObject(json));
        if (!config.architecture.equals(CUSTOM)) {
            long parameters = Architectures.parameterCount(config.architecture, config.modelParams);
            long limit = heapBytes / (4L * MODEL_COPIES);
            if (parameters > limit) {
                throw new IllegalArgumentException("model.params: the " + config.architecture + " has " + parameters
                        + " parameters; this server holds models of at most " + limit + " (" + MODEL_COPIES
                        + " float32 copies in its " + (heapBytes >> 20) + " MiB heap)");
            }
        }
        return config;
    }

    /**
     * A JSON object read strictly (no name twice, nothing after it, bounded nesting): a config, or a merge patch of
     * one.
     *
     * @throws HansaProblem {@code malformed-json} naming where the JSON went wrong
     */
    static Map<String, Object> readObject(byte[] json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (JacksonException e) {
            throw new HansaProblem(HttpStatus.BAD_REQUEST, "malformed-json", jsonError(e));
        }
    }

    /** Where the JSON went wrong: the field path when Jackson knows it, else the line and column. */
    private static String jsonError(JacksonException e) {
        StringBuilder where = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                where.append(where.isEmpty() ? "" : ".").append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                where.append('[').append(r.getIndex()).append(']');
            }
        }
        var location = e.getLocation();
        String at = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return (where.isEmpty() ? "body" : where) + ": not valid JSON" + at + ": " + e.getOriginalMessage();
    }

    /**
     * Validates a config given as a JSON-shaped map (a parsed request body, or a stored config read back): names,
     * types and ranges of every field, and its {@link #SHAPE}.
     */
    public static FederationConfig parse(Map<String, Object> body) {
        if (body == null) {
            throw new IllegalArgumentException("body is required");
        }
        SHAPE.checkBody(body);
        Fields root = new Fields("", body, Set.of("name", "model", "strategy", "training", "update", "robustness",
                "privacy", "schedule", "seed"));
        String name = root.string("name");
        if (name.isBlank() || name.length() > 200) {
            throw new InvalidValueException("name", "name must hold 1..200 characters");
        }
        Fields model = root.object("model", Set.of("architecture", "params", "seed"));
        String architecture = model.string("architecture");
        Map<String, Object> modelParams = model.optionalObject("params");
        if (!architecture.equals(CUSTOM)) {
            Architectures.parameterCount(architecture, modelParams);
        } else if (!modelParams.isEmpty()) {
            throw new IllegalArgumentException("model.params: architecture " + CUSTOM + " takes no params (the model "
                    + "is uploaded as safetensors), got " + modelParams.keySet());
        }
        Fields strategy = root.object("strategy", Set.of("name", "params"));
        Fields s = root.object("schedule", Set.of("rounds", "sampler", "clientFraction", "minClients", "maxClients",
                "roundDeadlineSeconds", "quorumFraction", "maxAttempts"));
        Schedule schedule = new Schedule(
                (int) s.integer("rounds", null, 1, 1_000_000),
                s.optionalString("sampler", Samplers.UNIFORM),
                s.real("clientFraction", 1.0),
                (int) s.integer("minClients", 1L, 1, 1_000_000),
                (int) s.integer("maxClients", 1_000_000L, 1, 1_000_000),
                (int) s.integer("roundDeadlineSeconds", 600L, 1, 7 * 24 * 3600),
                s.real("quorumFraction", 0.5),
                (int) s.integer("maxAttempts", 3L, 1, 1000));
        if (!(schedule.clientFraction() > 0 && schedule.clientFraction() <= 1)) {
            throw new InvalidValueException("schedule.clientFraction",
                    "schedule.clientFraction must be in (0, 1]: " + schedule.clientFraction());
        }
        if (!(schedule.quorumFraction() > 0 && schedule.quorumFraction() <= 1)) {
            throw new InvalidValueException("schedule.quorumFraction",
                    "schedule.quorumFraction must be in (0, 1]: " + schedule.quorumFraction());
        }
        if (schedule.minClients() > schedule.maxClients()) {
            throw new InvalidValueException("schedule.minClients", "schedule.minClients (" + schedule.minClients()
                    + ") must not exceed schedule.maxClients (" + schedule.maxClients() + ")");
        }
        FederationConfig config = new FederationConfig(name, architecture, modelParams,
                model.integer("seed", 0L, Long.MIN_VALUE, Long.MAX_VALUE), strategy.string("name"),
                strategy.optionalObject("params"), root.optionalObject("training"), root.optionalObject("update"),
                root.optionalObject("robustness"), schedule, root.integer("seed", 0L, Long.MIN_VALUE, Long.MAX_VALUE),
                root.optionalObject("privacy"));
        // Validates the round sections together (e.g. a robust aggregator with FedAMD).
        LGreCoSettings lgreco = config.rounds().protocol().update().lgreco();
        if (lgreco != null && !architecture.equals(CUSTOM)) {
            lgreco.checkModel(Architectures.create(architecture, modelParams).spec());
        }
        return config;
    }

    /** How this federation's rounds run; a new protocol on every call (callers cache it). */
    public RoundConfig.Configured rounds() {
        return RoundConfig.configure(strategyName, strategyParams, training, update, robustness, privacy,
                schedule.sampling(), schedule.rounds());
    }

    /** The configuration as stored (JSON-shaped). */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("model", Map.of("architecture", architecture, "params", modelParams, "seed", modelSeed));
        out.put("strategy", Map.of("name", strategyName, "params", strategyParams));
        out.put("training", training);
        out.put("update", update);
        out.put("robustness", robustness);
        if (!privacy.isEmpty()) {
            out.put("privacy", privacy);
        }
        Map<String, Object> sched = new LinkedHashMap<>();
        sched.put("rounds", schedule.rounds());
        sched.put("sampler", schedule.sampler());
        sched.put("clientFraction", schedule.clientFraction());
        sched.put("minClients", schedule.minClients());
        sched.put("maxClients", schedule.maxClients());
        sched.put("roundDeadlineSeconds", schedule.roundDeadlineSeconds());
        sched.put("quorumFraction", schedule.quorumFraction());
        sched.put("maxAttempts", schedule.maxAttempts());
        out.put("schedule", sched);
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
                    // The record's fields are not assigned yet: name the field from the parameters.
                    throw new UnknownFieldException(name(path, key), name(path, key)
                            + " is not a known field; allowed: " + List.copyOf(allowed));
                }
            }
        }

        String name(String key) {
            return name(path, key);
        }

        static String name(String path, String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        String optionalString(String key, String fallback) {
            Object value = map.get(key);
            if (value == null) {
                return fallback;
            }
            if (!(value instanceof String str)) {
                throw invalid(key, " must be a string");
            }
            return str;
        }

        String string(String key) {
            if (!(map.get(key) instanceof String s)) {
                throw invalid(key, " is required and must be a string");
            }
            return s;
        }

        @SuppressWarnings("unchecked")
        Fields object(String key, Set<String> keys) {
            Object value = map.get(key);
            if (!(value instanceof Map<?, ?>)) {
                throw invalid(key, " is required and must be an object");
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
                throw invalid(key, " must be an object");
            }
            return (Map<String, Object>) value;
        }

        long integer(String key, Long fallback, long min, long max) {
            Object value = map.get(key);
            if (value == null) {
                if (fallback == null) {
                    throw invalid(key, " is required");
                }
                return fallback;
            }
            long exact;
            try {
                // Exact: 3.0 counts as 3, but 9223372036854775808 must not wrap around to a negative long.
                exact = switch (value) {
                    case BigDecimal d -> d.longValueExact();
                    case BigInteger i -> i.longValueExact();
                    case Number n -> new BigDecimal(n.toString()).longValueExact();
                    default -> throw new ArithmeticException("not a number");
                };
            } catch (ArithmeticException | NumberFormatException e) {
                throw notAnInteger(key, min, max, value);
            }
            if (exact < min || exact > max) {
                throw notAnInteger(key, min, max, value);
            }
            return exact;
        }

        private InvalidValueException notAnInteger(String key, long min, long max, Object value) {
            return invalid(key, " must be an integer in [" + min + ", " + max + "]: " + value);
        }

        /** A refusal of {@code key}'s value: {@code why} follows its path in the message. */
        private InvalidValueException invalid(String key, String why) {
            return new InvalidValueException(name(key), name(key) + why);
        }

        double real(String key, double fallback) {
            Object value = map.get(key);
            if (value == null) {
                return fallback;
            }
            if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw invalid(key, " must be a finite number: " + value);
            }
            return n.doubleValue();
        }
    }
}
