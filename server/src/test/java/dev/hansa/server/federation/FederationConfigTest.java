package dev.hansa.server.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.architecture.Architectures;
import dev.hansa.server.system.HansaProblem;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class FederationConfigTest {

    private static final long HEAP = 8L << 30;

    /** The example of docs/protocol.md, verbatim. */
    static final String EXAMPLE = """
            {
              "name": "fmnist-demo",
              "model": {"architecture": "mlp", "params": {"inputSize": 784, "hiddenLayers": [200], "numClasses": 10}, "seed": 42},
              "strategy": {"name": "fedavg", "params": {"serverLearningRate": 1.0}},
              "training": {"localEpochs": 1, "localSteps": 0, "batchSize": 32, "learningRate": 0.05,
                           "params": {"momentum": 0.9, "weightDecay": 0.0}},
              "schedule": {"rounds": 20, "clientFraction": 1.0, "minClients": 2, "maxClients": 10,
                           "roundDeadlineSeconds": 120, "quorumFraction": 0.5, "maxAttempts": 3},
              "seed": 7
            }
            """;

    private static FederationConfig parse(String json) {
        return FederationConfig.parse(json.getBytes(StandardCharsets.UTF_8), HEAP);
    }

    /** The message of the refusal, which must start with the field it names. */
    private static String refusal(String json) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> parse(json));
        assertTrue(e instanceof IllegalArgumentException || e instanceof HansaProblem, e::toString);
        return e.getMessage();
    }

    private static void refused(String json, String startsWith) {
        String message = refusal(json);
        assertTrue(message.startsWith(startsWith), () -> "'" + message + "' does not start with '" + startsWith + "'");
    }

    /** The example with {@code from} replaced by {@code to} (once; {@code from} must occur). */
    private static String example(String from, String to) {
        assertTrue(EXAMPLE.contains(from), from);
        return EXAMPLE.replace(from, to);
    }

    @Test
    void theDocumentedExampleParsesAndItsStoredFormParsesToTheSameConfig() {
        FederationConfig config = parse(EXAMPLE);
        assertEquals("fmnist-demo", config.name());
        assertEquals(20, config.schedule().rounds());
        byte[] stored = JsonMapper.builder().build().writeValueAsBytes(config.toMap());
        assertEquals(config, FederationConfig.parse(stored, HEAP));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // A lenient reader keeps one of two values silently.
            "duplicate name         | \"seed\": 7               | \"seed\": 7, \"seed\": 8        | body: not valid JSON at line 9, column 20: Duplicate Object property \"seed\"",
            "duplicate nested name  | \"rounds\": 20            | \"rounds\": 20, \"rounds\": 2   | schedule: not valid JSON",
            "trailing content       | \"seed\": 7               | \"seed\": 7} {\"x\": 1          | body: not valid JSON at line 9",
            "syntax error           | \"seed\": 7               | \"seed\": 7,                    | body: not valid JSON at line 10",
            "deep nesting           | [200]                     | [[[[[[[[[[[[[[[[[[200]]]]]]]]]]]]]]]]]] | model: not valid JSON"})
    void malformedJsonIsRefusedWithItsLocation(String what, String from, String to, String startsWith) {
        refused(example(from, to), startsWith);
    }

    @Test
    void somethingOtherThanAnObjectIsRefused() {
        refused("[]", "body: not valid JSON");
        refused("null", "body is required");
        HansaProblem notUtf8 = assertThrows(HansaProblem.class, () -> FederationConfig.parse(new byte[] {(byte) 0xff}, HEAP));
        assertEquals("malformed-json", notUtf8.reason());
        refused(" ".repeat(FederationConfig.MAX_BODY_BYTES + 1), "body: a federation config is at most 65536 bytes");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "\"rounds\": 20               | \"rounds\": null                | schedule.rounds: is null",
            "[200]                        | [200, null]                     | model.params.hiddenLayers[1]: is null",
            "\"seed\": 7                  | \"seed\": null                  | seed: is null",
            "\"params\": {\"momentum\"    | \"params\": {\"x\": null, \"momentum\" | training.params.x: is null",
            "\"fmnist-demo\"              | \"fmnist\\u0000demo\"           | name: contains a NUL character",
            "\"seed\": 7                  | \"seed\\u0000\": 7              | body: a key contains a NUL character",
            "\"fmnist-demo\"              | \"fmnist\\ud800demo\"           | name: contains an unpaired surrogate",
            "\"serverLearningRate\": 1.0  | \"serverLearningRate\": \"\\udc00\" | strategy.params.serverLearningRate: contains an unpaired"})
    void nullAndTextThatCannotBeStoredAreRefused(String from, String to, String startsWith) {
        refused(example(from, to), startsWith);
    }

    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"9223372036854775808", "1e19", "7.5", "\"7\""})
    void integersAreExact(String seed) {
        // 2^63 used to wrap around to Long.MIN_VALUE.
        refused(example("\"seed\": 7", "\"seed\": " + seed), "seed must be an integer in [-9223372036854775808, ");
    }

    @Test
    void integralNumbersInAnyFormAreIntegers() {
        assertEquals(Long.MIN_VALUE, parse(example("\"seed\": 7", "\"seed\": -9223372036854775808")).seed());
        assertEquals(20, parse(example("\"rounds\": 20", "\"rounds\": 2.0e1")).schedule().rounds());
    }

    @Test
    void aModelTheServerCannotHoldIsRefusedNamingTheField() {
        // 784*400000 + 400000 + 400000*10 + 10 = 318,000,010 parameters: within the format's limit, 5 GB at 16 copies.
        String big = example("[200]", "[400000]");
        String message = assertThrows(IllegalArgumentException.class,
                () -> FederationConfig.parse(big.getBytes(StandardCharsets.UTF_8), 1L << 30)).getMessage();
        assertEquals("model.params: the mlp has 318000010 parameters; this server holds models of at most 16777216 "
                + "(16 float32 copies in its 1024 MiB heap)", message);
        FederationConfig fits = FederationConfig.parse(big.getBytes(StandardCharsets.UTF_8), 400L << 30);
        assertEquals(318_000_010, Architectures.parameterCount(fits.architecture(), fits.modelParams()));
        refused(example("[200]", "[1048576, 1048576]"), "model.params: a mlp with layer widths [784, 1048576, 1048576, 10]");
    }

    @Test
    void unknownFieldsAreNamed() {
        // Found by FederationConfigFuzzTest: the check ran before the record's fields were set (NullPointerException).
        refused(example("\"seed\": 7", "\"seed\": 7, \"sed\": 1"), "sed is not a known field; allowed: ");
        refused(example("\"rounds\": 20", "\"rounds\": 20, \"round\": 1"), "schedule.round is not a known field");
    }

    @Test
    void anAcceptedConfigAlwaysReadsBackFromItsStoredForm() {
        // Found by FederationConfigFuzzTest: fedspeed overrides training.params.beta with its own, so -1e400 went
        // unchecked; stored as the string "-Infinity", the federation could no longer be loaded.
        String overridden = example("\"name\": \"fedavg\", \"params\": {\"serverLearningRate\": 1.0}",
                "\"name\": \"fedspeed\"").replace("\"momentum\": 0.9", "\"beta\": -1e400");
        refused(overridden, "training.params.beta: must be a finite number");
    }

    @Test
    void customModelsTakeNoParams() {
        refused(example("\"architecture\": \"mlp\"", "\"architecture\": \"custom\""), "model.params: architecture custom");
        String custom = example("\"architecture\": \"mlp\", \"params\": {\"inputSize\": 784, \"hiddenLayers\": [200], "
                + "\"numClasses\": 10}", "\"architecture\": \"custom\"");
        assertEquals(FederationConfig.CUSTOM, parse(custom).architecture());
    }

    @Test
    void streamingDiLoCosFourBitCodecTakesItsBucketAndNamesItInErrors() {
        String update = "\"seed\": 7, \"update\": {\"codec\": \"e3m0\", \"params\": {\"bucket\": %s}}";
        assertEquals(Map.of("bucket", 64.0),
                parse(example("\"seed\": 7", update.formatted("64"))).rounds().protocol().update().params());
        refused(example("\"seed\": 7", update.formatted("0")), "update.params.bucket must be an integer in [1, ");
        refused(example("\"seed\": 7", update.formatted("2.5")), "update.params.bucket must be an integer in [1, ");
    }
}
