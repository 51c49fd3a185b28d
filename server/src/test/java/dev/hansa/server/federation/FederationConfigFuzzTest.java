package dev.hansa.server.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.management.ThreadMXBean;
import dev.hansa.aggregation.architecture.Architectures;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.server.system.HansaProblem;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Coverage-guided fuzzing of the federation config parser (Jazzer); docs/testing.md has the command that fuzzes,
 * the normal build runs each target on the files under {@code FederationConfigFuzzTestInputs}.
 *
 * <p>The property: any bytes either give a valid config or an {@link IllegalArgumentException} or {@link HansaProblem}
 * (which the REST layer answers with 400 {@code invalid-request}, {@code invalid-field} or {@code malformed-json},
 * naming the field or where); nothing else escapes, and a parse
 * allocates memory in proportion to its input (no small input can end in an {@link OutOfMemoryError}). A valid
 * config builds its round protocol, its model fits the server, and its stored form reads back to an equal config (the
 * repository re-parses it on every load).
 */
class FederationConfigFuzzTest {

    /** A fixed heap, so that what the fuzzer finds does not depend on the machine. */
    private static final long HEAP = 4L << 30;
    /** Memory a parse allocates must stay proportional to its input: an OutOfMemoryError needs no huge input. */
    private static final ThreadMXBean ALLOCATIONS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();
    /** As the repository reads stored configs (Spring's mapper, default settings). */
    private static final ObjectMapper STORE = JsonMapper.builder().build();

    private static final List<String> ROOT = List.of("name", "model", "strategy", "training", "update", "robustness",
            "schedule", "seed");
    private static final List<String> SCHEDULE = List.of("rounds", "sampler", "clientFraction", "minClients",
            "maxClients", "roundDeadlineSeconds", "quorumFraction", "maxAttempts");
    private static final List<String> UPDATE = List.of("codec", "clipNorm", "errorFeedback");
    private static final List<String> ROBUSTNESS = List.of("aggregator", "preAggregators", "maxUpdateNorm",
            "onNormExceeded", "maxSamplesPerUpdate");
    private static final List<String> TRAINING = List.of("localEpochs", "localSteps", "batchSize", "learningRate");
    private static final List<String> HYPERPARAMETERS = List.of("serverLearningRate", "weighting", "mu",
            "serverMomentum", "beta1", "beta2", "tau", "beta", "rho", "lrDecay", "anchorSchedule", "anchorProbability",
            "anchorPeriod", "anchorBatchSize", "momentum", "weightDecay", "gradientClipNorm");
    private static final List<String> CHOICES = List.of("samples", "uniform", "constant", "period", "sequential",
            "optb", "optc");
    private static final List<String> CODECS = List.of("dense", "bf16");
    private static final List<String> SAMPLERS = List.of("uniform", "poisson", "bernoulli");
    /** Literal forms that readers disagree on or that sit at the edges of a range. */
    private static final List<String> NUMBERS = List.of("0", "-0", "1", "-1", "2", "3.0", "3e0", "0.5", "1e-320",
            "1e400", "-1e400", "4.9e-324", "1.7976931348623157e308", "2147483647", "2147483648", "-2147483649",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "18446744073709551616",
            "1048576", "1048577", "1000000", "1000001", "604800", "99999999999999999999999999999999999");

    @FuzzTest
    @DictionaryEntries({"\"name\"", "\"model\"", "\"architecture\"", "\"mlp\"", "\"softmax\"", "\"custom\"",
        "\"params\"", "\"inputSize\"", "\"hiddenLayers\"", "\"numClasses\"", "\"strategy\"", "\"fedavg\"",
        "\"training\"", "\"schedule\"", "\"rounds\"", "\"seed\"", "\\u0000", "\\ud800"})
    void parseIsTotal(byte[] input) {
        check(input);
    }

    /**
     * Configs assembled from fuzzer choices: every known field name, each value either plausible or an edge case
     * (number literal forms, null, wrong type, escapes, a repeated name), so the fuzzer spends its time in the
     * validation rather than in JSON syntax.
     */
    @FuzzTest
    void parseIsTotalOnAssembledConfigs(FuzzedDataProvider data) {
        check(new Assembler(data).config().getBytes(StandardCharsets.UTF_8));
    }

    private static void check(byte[] input) {
        FederationConfig config;
        long allocatedBefore = ALLOCATIONS.getCurrentThreadAllocatedBytes();
        long classesBefore = CLASSES.getTotalLoadedClassCount();
        try {
            config = FederationConfig.parse(input, HEAP);
        } catch (IllegalArgumentException | HansaProblem refused) {
            String message = refused.getMessage();
            assertTrue(message != null && !message.isBlank(), "a refusal says what is wrong");
            return;
        } finally {
            // Loading a class allocates in the loading thread (much more under the fuzzer's instrumentation).
            long allocated = ALLOCATIONS.getCurrentThreadAllocatedBytes() - allocatedBefore;
            assertTrue(allocated <= 64L * input.length + (16 << 20)
                            || CLASSES.getTotalLoadedClassCount() != classesBefore,
                    () -> allocated + " bytes allocated to parse " + input.length);
        }
        config.rounds();
        if (!config.architecture().equals(FederationConfig.CUSTOM)) {
            long parameters = Architectures.parameterCount(config.architecture(), config.modelParams());
            assertTrue(parameters <= HEAP / (4L * FederationConfig.MODEL_COPIES), "model fits: " + parameters);
            assertEquals(parameters, Architectures.create(config.architecture(), config.modelParams())
                    .spec().parameterCount());
        }
        Map<String, Object> stored = STORE.readValue(STORE.writeValueAsBytes(config.toMap()),
                new TypeReference<Map<String, Object>>() { });
        assertEquals(config, FederationConfig.parse(stored));
    }

    /**
     * Writes JSON text from fuzzer choices; text rather than a tree, so that it can repeat a name or write a number
     * in any literal form. Exhausted input gives the plausible choice, so short inputs are valid configs.
     */
    private static final class Assembler {

        private final FuzzedDataProvider data;
        private final StringBuilder out = new StringBuilder();
        /** The architecture this config names, so that its params are mostly that architecture's. */
        private String architecture = "mlp";

        private static final List<String> DENSE_PARAMS = List.of("inputSize", "hiddenLayers", "numClasses");
        private static final List<String> CNN_PARAMS = List.of("inputChannels", "inputHeight", "inputWidth",
                "convChannels", "kernelSize", "hiddenLayers", "numClasses");

        Assembler(FuzzedDataProvider data) {
            this.data = data;
        }

        String config() {
            object(ROOT, true, this::rootValue);
            return out.toString();
        }

        /** True with probability 1 / (n + 1); false once the input is used up. */
        private boolean rarely(int n) {
            return data.consumeInt(0, n) == n;
        }

        private void rootValue(String field) {
            switch (field) {
                case "name" -> string("federation");
                case "model" -> object(List.of("architecture", "params", "seed"), true, f -> {
                    switch (f) {
                        case "architecture" -> {
                            architecture = rarely(3) ? "custom" : rarely(2) ? "cnn" : rarely(1) ? "softmax" : "mlp";
                            string(architecture);
                        }
                        case "params" -> object(architecture.equals("cnn") ? CNN_PARAMS : DENSE_PARAMS, true, p -> {
                            switch (p) {
                                case "hiddenLayers" -> array(() -> number("64"));
                                case "convChannels" -> array(() -> number("8"));
                                case "numClasses" -> number("10");
                                case "inputChannels" -> number("1");
                                case "inputHeight", "inputWidth" -> number("28");
                                case "kernelSize" -> number("5");
                                default -> number("784");
                            }
                        });
                        default -> number("42");
                    }
                });
                case "strategy" -> object(List.of("name", "params"), true, f -> {
                    if (f.equals("name")) {
                        string(Strategies.names().get(data.consumeInt(0, Strategies.names().size() - 1)));
                    } else {
                        object(HYPERPARAMETERS, false, this::hyperparameter);
                    }
                });
                case "training" -> object(List.of("localEpochs", "localSteps", "batchSize", "learningRate", "params"),
                        true, f -> {
                            if (f.equals("params")) {
                                object(HYPERPARAMETERS, false, this::hyperparameter);
                            } else {
                                number(f.equals("learningRate") ? "0.05" : f.equals("localSteps") ? "0" : "1");
                            }
                        });
                case "update" -> object(UPDATE, false, f -> {
                    switch (f) {
                        case "codec" -> string(data.pickValue(CODECS));
                        case "errorFeedback" -> out.append(data.consumeBoolean());
                        default -> number("1.5");
                    }
                });
                case "robustness" -> object(ROBUSTNESS, false, f -> {
                    switch (f) {
                        case "aggregator" -> string(rarely(1) ? "median" : "mean");
                        case "preAggregators" -> array(() -> object(List.of("name", "bucketSize"), true,
                                p -> {
                                    if (p.equals("name")) {
                                        string("bucketing");
                                    } else {
                                        number("2");
                                    }
                                }));
                        case "onNormExceeded" -> string(rarely(1) ? "clip" : "reject");
                        default -> number("10");
                    }
                });
                case "schedule" -> object(SCHEDULE, true, f -> {
                    if (f.equals("sampler")) {
                        string(data.pickValue(SAMPLERS));
                    } else {
                        number(f.endsWith("Fraction") ? "0.5" : "2");
                    }
                });
                default -> number("7");
            }
        }

        private void hyperparameter(String name) {
            switch (name) {
                case "weighting" -> string(rarely(1) ? "uniform" : "samples");
                case "anchorSchedule" -> string(CHOICES.get(2 + data.consumeInt(0, 4)));
                case "anchorPeriod", "anchorBatchSize" -> number("3");
                case "serverMomentum", "beta1", "momentum" -> number("0.9");
                case "beta2" -> number("0.99");
                case "lrDecay" -> number("0.998");
                default -> number("0.01");
            }
        }

        /**
         * An object of {@code fields} in order, each present (when {@code usual}) or absent (when not) unless the
         * fuzzer chooses otherwise, each value plausible unless it chooses an edge case; sometimes a repeated or
         * unknown name.
         */
        private void object(List<String> fields, boolean usual, java.util.function.Consumer<String> plausible) {
            out.append('{');
            boolean first = true;
            for (String field : fields) {
                if (usual == rarely(usual ? 5 : 9)) {
                    continue;
                }
                first = member(first, field, plausible);
            }
            if (rarely(15)) {
                String extra = rarely(1) ? data.consumeString(8) : fields.get(data.consumeInt(0, fields.size() - 1));
                member(first, extra, plausible);
            }
            out.append('}');
        }

        private boolean member(boolean first, String field, java.util.function.Consumer<String> plausible) {
            if (!first) {
                out.append(',');
            }
            stringLiteral(field);
            out.append(':');
            if (rarely(11)) {
                edgeValue();
            } else {
                plausible.accept(field);
            }
            return false;
        }

        private void array(Runnable element) {
            out.append('[');
            for (int i = rarely(3) ? data.consumeInt(0, 4) : 1; i > 0; i--) {
                element.run();
                if (i > 1) {
                    out.append(',');
                }
            }
            out.append(']');
        }

        private void edgeValue() {
            switch (data.consumeInt(0, 7)) {
                case 0 -> out.append("null");
                case 1 -> out.append(data.consumeBoolean());
                case 2 -> out.append(data.consumeLong());
                case 3 -> out.append(data.consumeDouble());
                case 4 -> stringLiteral(data.consumeString(12));
                case 5 -> array(() -> out.append(data.pickValue(NUMBERS)));
                case 6 -> out.append("{}");
                default -> out.append(data.pickValue(NUMBERS));
            }
        }

        private void number(String plausible) {
            out.append(rarely(5) ? data.pickValue(NUMBERS) : plausible);
        }

        private void string(String plausible) {
            stringLiteral(rarely(7) ? data.consumeString(12) : plausible);
        }

        /** A JSON string of {@code s}; control characters and surrogates are written as JSON escapes. */
        private void stringLiteral(String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            out.append('"');
        }
    }
}
