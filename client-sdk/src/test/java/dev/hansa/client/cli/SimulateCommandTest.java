package dev.hansa.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {

    @TempDir
    Path dir;

    private static final String[] SMALL = {"--dataset", "synthetic", "--clients", "6", "--per-round", "3",
            "--rounds", "3", "--model", "softmax", "--eval-every", "2"};

    private static String[] with(String... more) {
        String[] all = new String[SMALL.length + more.length];
        System.arraycopy(SMALL, 0, all, 0, SMALL.length);
        System.arraycopy(more, 0, all, SMALL.length, more.length);
        return all;
    }

    @Test
    void runsAStrategyWithItsOwnDefaultsAndWordParametersAndWritesEveryRound() throws IOException {
        Path csv = dir.resolve("fedamd.csv");
        // FedAMD refuses momentum, weight decay and clipping: the command must not impose its own training options.
        assertEquals(0, SimulateCommand.run(with("--strategy", "fedamd", "--strategy-param", "anchorSchedule=sequential",
                "--csv", csv.toString())));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(SimulateCommand.csvHeader(), lines.getFirst());
        assertEquals(4, lines.size(), "header and three rounds");
        String[] first = lines.get(1).split(",", -1), second = lines.get(2).split(",", -1);
        assertEquals("", first[2], "round 1 is not evaluated with --eval-every 2");
        assertTrue(Double.parseDouble(second[2]) > 0, "round 2 is");
        assertTrue(Long.parseLong(first[5]) > 0 && Long.parseLong(first[6]) > 0, "bytes in both directions");
    }

    @Test
    void theProgressLineShowsTestMetricsOnlyForRoundsThatEvaluated() {
        String progress = capturingStandardError(() -> assertEquals(0, SimulateCommand.run(SMALL)));
        String round1 = lineWith(progress, "round 1:"), round2 = lineWith(progress, "round 2:");
        assertFalse(round1.contains("test acc") || round1.contains("NaN"), round1);
        assertTrue(round1.contains("train loss "), round1);
        assertTrue(round2.matches(".*round 2: test acc 0\\.\\d{4}, loss \\d+\\.\\d{4}, train loss .*"), round2);
    }

    @Test
    void byzantineClientsAreRecordedAndTheirInfiniteUpdatesRefusedByAdmission() throws IOException {
        Path csv = dir.resolve("infinity.csv");
        String err = capturingStandardError(() -> assertEquals(0,
                SimulateCommand.run(with("--byzantine", "2", "--attack", "infinity", "--csv", csv.toString()))));
        assertTrue(err.contains("byzantine {clients=2, attack=infinity, attackParams={}, ids=["), err);
        List<String> lines = Files.readAllLines(csv);
        int byzantine = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertEquals(cells[8], cells[9], "every Byzantine update is refused: " + line);
            byzantine += Integer.parseInt(cells[8]);
        }
        assertTrue(byzantine > 0, "the draw put Byzantine clients into some round");
    }

    @Test
    void aBadAttackExitsWithTwoAndNamesTheField() {
        String err = capturingStandardError(() -> assertEquals(2, SimulateCommand.run(with("--byzantine", "1",
                "--attack", "ipm", "--attack-params", "epsilon=-1"))));
        assertTrue(err.contains("byzantine.attackParams.epsilon must be in (0, "), err);
        err = capturingStandardError(() -> assertEquals(2, SimulateCommand.run(with("--byzantine", "1"))));
        assertTrue(err.contains("byzantine.attack is required"), err);
    }

    @Test
    void aBadParameterExitsWithTwoAndNamesTheField() {
        String err = capturingStandardError(
                () -> assertEquals(2, SimulateCommand.run(with("--strategy", "fedadam", "--strategy-param", "beta1=1.5"))));
        assertTrue(err.contains("strategy.params.beta1"), err);
    }

    private static String lineWith(String text, String part) {
        return text.lines().filter(l -> l.contains(part)).findFirst().orElseThrow(() -> new AssertionError(part + " in " + text));
    }

    private static String capturingStandardError(Runnable command) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            command.run();
        } finally {
            System.setErr(err);
        }
        return captured.toString();
    }
}
