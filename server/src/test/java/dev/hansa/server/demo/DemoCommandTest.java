package dev.hansa.server.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.client.cli.FederationOptions;
import dev.hansa.client.cli.Options;
import dev.hansa.client.data.Dataset;
import dev.hansa.server.federation.FederationConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    private static FederationOptions flags(String... args) {
        Options options = FederationOptions.declare(new Options(), DemoCommand.DEFAULTS);
        assertTrue(options.parse(args));
        return FederationOptions.read(options);
    }

    @Test
    void theDefaultFederationTrainsAnMlpWithMomentumSgdAndTheServerAcceptsIt() {
        FederationOptions f = flags("--dataset", "synthetic", "--clients", "4");
        var data = f.loadData(notice -> { });
        Map<String, Object> request = DemoCommand.federationRequest(f, data);
        assertEquals(Map.of("learningRate", 0.03, "batchSize", 32, "localEpochs", 1, "params", Map.of("momentum", 0.9)),
                request.get("training"));
        assertEquals(Map.of("architecture", "mlp", "seed", 1L, "params", Map.of("inputSize", 60, "hiddenLayers",
                List.of(200), "numClasses", 10)), request.get("model"));
        FederationConfig config = FederationConfig.parse(request);
        assertEquals(new FederationConfig.Schedule(20, "uniform", 1.0, 4, 4, 600, 0.8, 3), config.schedule());
        assertEquals("fedavg", config.strategyName());
    }

    @Test
    void strategiesWithoutMomentumRunWithMomentumZero() {
        FederationOptions f = flags("--dataset", "synthetic", "--clients", "4", "--strategy", "fedamd", "--momentum", "0",
                "--strategy-param", "anchorSchedule=sequential");
        FederationConfig config = FederationConfig.parse(DemoCommand.federationRequest(f, f.loadData(notice -> { })));
        assertEquals(Map.of("anchorSchedule", "sequential"), config.strategyParams());
    }

    @Test
    void eachClientEvaluatesOnItsOwnShareOfTheTestSetAndTheSharesCoverItOnce() {
        FederationOptions f = flags("--dataset", "synthetic", "--clients", "3");
        Dataset test = f.loadData(notice -> { }).test();
        int total = 0;
        int[] seen = new int[test.numClasses()];
        for (int i = 0; i < 3; i++) {
            Dataset share = DemoCommand.testShare(test, i, 3);
            assertTrue(Math.abs(share.size() - test.size() / 3.0) < 1, share.size() + " of " + test.size());
            total += share.size();
            int[] counts = share.classCounts();
            for (int c = 0; c < counts.length; c++) {
                seen[c] += counts[c];
            }
        }
        assertEquals(test.size(), total);
        assertArrayEquals(test.classCounts(), seen);
    }

    @Test
    void theConsolePasswordIsGeneratedOnceKeptForItsOwnerAndReused(@TempDir Path dir) throws Exception {
        String first = DemoLogin.password(dir);
        assertTrue(first.length() >= 12, first);
        assertEquals(first, DemoLogin.password(dir));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(DemoLogin.file(dir))));
        assertNotEquals(first, DemoLogin.password(dir.resolve("other")));
    }

    @Test
    void badFlagsExitWithTwoBeforeTheServerStarts() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            assertEquals(2, DemoCommand.run(new String[] {"--strategy", "fedamd"}));
            assertEquals(2, DemoCommand.run(new String[] {"--lr", "fast"}));
            assertEquals(2, DemoCommand.run(new String[] {"--stay", "maybe"}));
        } finally {
            System.setErr(err);
        }
        assertTrue(captured.toString().contains("hansa demo: training.params: unknown field(s) [momentum] for fedamd"), captured.toString());
        assertTrue(captured.toString().contains("hansa demo: --lr must be a number: fast"), captured.toString());
        assertTrue(captured.toString().contains("hansa demo: --stay must be true or false: maybe"), captured.toString());
    }

    @Test
    void helpListsTheSharedFlagsWithTheDemosDefaults() throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            assertEquals(0, DemoCommand.run(new String[] {"--help"}));
        } finally {
            System.setOut(out);
        }
        String help = captured.toString();
        for (String line : List.of("--lr                 local learning rate (default: 0.03)",
                "--steps              local steps per round, 0 for epochs (default: the strategy's)",
                "--strategy-param     strategy hyperparameter k=v", "--clients            number of clients (default: 10)",
                "--data-dir           where the embedded PostgreSQL and client state live (default: hansa-data)")) {
            assertTrue(help.contains(line), line + " in\n" + help);
        }
    }
}
