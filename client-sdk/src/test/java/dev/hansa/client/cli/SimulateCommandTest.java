package dev.hansa.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.hansa.privacy.accounting.PldAccountant;
import dev.hansa.privacy.accounting.RdpAccountant;
import dev.hansa.privacy.accounting.TreeAccountant;
import dev.hansa.privacy.accounting.TreeAggregationEvent;
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
    void theCnnTrainsOnDataOfItsImageShapeAndRefusesOtherData() throws IOException {
        Path csv = dir.resolve("cnn.csv");
        // Synthetic's 60 features as one 6 x 10 image: conv 3 x 3 -> 4 x 8 -> pool 2 x 4, then a dense head of 8.
        String[] cnn = {"--model", "cnn", "--image", "1x6x10", "--conv-channels", "3", "--kernel-size", "3",
            "--hidden", "8", "--lr", "0.1"};
        assertEquals(0, SimulateCommand.run(with(cnn[0], cnn[1], cnn[2], cnn[3], cnn[4], cnn[5], cnn[6], cnn[7],
                cnn[8], cnn[9], cnn[10], cnn[11], "--csv", csv.toString())));
        List<String> rounds = Files.readAllLines(csv);
        assertEquals(4, rounds.size(), "header and three rounds");
        // Each of the 3 uploads per round is the whole model and a header: 3 x 9 + 3 = 30 conv, then a flat 3 x 2 x 4
        // into 8 x 25 + 10 x 9 = 290 dense.
        long bytesUp = Long.parseLong(rounds.get(1).split(",", -1)[5]);
        assertTrue(bytesUp >= 3L * 4 * (30 + 290) && bytesUp < 3L * 4 * (30 + 290) + 3 * 1024, rounds.get(1));
        String err = capturingStandardError(() -> assertEquals(2, SimulateCommand.run(with("--model", "cnn"))));
        assertTrue(err.contains("--image 1x28x28 holds 784 values per example; the synthetic data has 60 features"),
                err);
        err = capturingStandardError(() -> assertEquals(2, SimulateCommand.run(with("--model", "cnn", "--image",
                "28x28"))));
        assertTrue(err.contains("--image must be CxHxW, three integers such as 1x28x28: 28x28"), err);
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

    private static final String[] DP = {"--sampler", "poisson", "--strategy-param", "weighting=uniform", "--dp-clip",
        "1", "--dp-delta", "0.01"};

    private static String[] dp(String... more) {
        String[] all = with(DP);
        String[] out = new String[all.length + more.length];
        System.arraycopy(all, 0, out, 0, all.length);
        System.arraycopy(more, 0, out, all.length, more.length);
        return out;
    }

    @Test
    void aDpRunReportsEpsilonEachRoundAndStopsBeforeTheBudgetIsPassed() throws IOException {
        // q = 3/6, z = 1, delta = 0.01: the budget admits two rounds and not a third.
        RdpAccountant two = RdpAccountant.empty().compose(0.5, 1.0, 2);
        double budget = (two.epsilon(0.01) + two.compose(0.5, 1.0, 1).epsilon(0.01)) / 2;
        Path csv = dir.resolve("dp.csv");
        String err = capturingStandardError(() -> assertEquals(0, SimulateCommand.run(dp("--dp-noise-multiplier",
                "1.0", "--dp-epsilon", Double.toString(budget), "--csv", csv.toString()))));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(3, lines.size(), "header and two rounds: " + lines);
        assertEquals(two.epsilon(0.01), Double.parseDouble(lines.get(2).split(",", -1)[10]), 1e-6);
        assertTrue(lineWith(err, "round 1:").contains(String.format(java.util.Locale.ROOT, "epsilon %.3f",
                RdpAccountant.empty().compose(0.5, 1.0, 1).epsilon(0.01))), err);
        assertTrue(err.contains("stopped: privacy budget: one more round would spend epsilon"), err);
        double pld = PldAccountant.empty().compose(0.5, 1.0, 2).epsilon(0.01);
        assertEquals("", lines.get(1).split(",", -1)[11], "round 1 is not evaluated, so no PLD epsilon");
        assertEquals(pld, Double.parseDouble(lines.get(2).split(",", -1)[11]), 1e-6, "the PLD epsilon column");
        assertTrue(pld < two.epsilon(0.01), "PLD " + pld + " is tighter than RDP");
        assertTrue(lineWith(err, "round 2:").contains(String.format(java.util.Locale.ROOT, "(PLD %.3f)", pld)), err);
    }

    @Test
    void aDpFtrlRunTakesEveryEligibleClientAndReportsTheTreesEpsilon() throws IOException {
        // 6 clients, 3 per round, once per tree of 2 rounds: epsilon after rounds 1, 2, 3 is that of trees of
        // {1}, {2}, {2, 1} leaves; a budget between rounds 2 and 3 admits two.
        TreeAccountant two = TreeAccountant.empty().compose(TreeAggregationEvent.once(1.0, 2));
        double third = two.compose(TreeAggregationEvent.once(1.0, 1)).epsilon(0.01);
        double budget = (two.epsilon(0.01) + third) / 2;
        Path csv = dir.resolve("ftrl.csv");
        String err = capturingStandardError(() -> assertEquals(0, SimulateCommand.run(with("--strategy-param",
                "weighting=uniform", "--dp-mechanism", "dp-ftrl", "--dp-noise-multiplier", "1.0", "--dp-clip", "1",
                "--dp-delta", "0.01", "--dp-restart-every", "2", "--dp-epsilon", Double.toString(budget), "--csv",
                csv.toString()))));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(3, lines.size(), "header and two rounds: " + lines);
        assertEquals("3", lines.get(1).split(",", -1)[1], "every eligible client up to --per-round");
        assertEquals("3", lines.get(2).split(",", -1)[1], "the other three: once per tree");
        assertEquals(two.epsilon(0.01), Double.parseDouble(lines.get(2).split(",", -1)[10]), 1e-6);
        assertEquals("", lines.get(2).split(",", -1)[11], "no PLD epsilon for DP-FTRL");
        assertTrue(err.contains("stopped: privacy budget: one more round would spend epsilon"), err);
        err = capturingStandardError(() -> assertEquals(2, SimulateCommand.run(with("--strategy-param",
                "weighting=uniform", "--dp-mechanism", "dp-ftrl", "--dp-noise-multiplier", "1.0", "--dp-clip", "1",
                "--dp-delta", "0.01", "--dp-tree", "dense"))));
        assertTrue(err.contains("privacy.tree must be one of"), err);
    }

    @Test
    void aDiff2RunChargesEachKindOfRoundItsOwnMultiplier() throws IOException {
        // q = 3/6, restart period 2: rounds 1 and 3 are gradient rounds (z1 = 1), round 2 a difference round (z2 = 3).
        Path csv = dir.resolve("diff2.csv");
        assertEquals(0, SimulateCommand.run(with("--sampler", "poisson", "--strategy", "diff2", "--strategy-param",
                "restartPeriod=2", "--dp-noise-multiplier", "1", "--dp-difference-noise-multiplier", "3",
                "--dp-clip", "1", "--dp-difference-clip-factor", "2", "--dp-delta", "0.01", "--csv", csv.toString())));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(4, lines.size(), "header and three rounds");
        RdpAccountant rounds = RdpAccountant.empty().compose(0.5, 1.0, 1).compose(0.5, 3.0, 1).compose(0.5, 1.0, 1);
        assertEquals(rounds.epsilon(0.01), Double.parseDouble(lines.get(3).split(",", -1)[10]), 1e-6);
        String err = capturingStandardError(() -> assertEquals(2, SimulateCommand.run(with("--sampler", "poisson",
                "--strategy", "diff2", "--dp-noise-multiplier", "1", "--dp-clip", "1", "--dp-delta", "0.01"))));
        assertTrue(err.contains("privacy.differenceClipFactor is required"), err);
    }

    @Test
    void aTargetEpsilonIsMetOverTheRunsRounds() throws IOException {
        Path csv = dir.resolve("target.csv");
        assertEquals(0, SimulateCommand.run(dp("--dp-target-epsilon", "4", "--csv", csv.toString())));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(4, lines.size(), "all three rounds run");
        double spent = Double.parseDouble(lines.getLast().split(",", -1)[10]);
        assertTrue(spent <= 4 && spent > 3.9, "epsilon after the last round " + spent);
    }

    @Test
    void badPrivacyFlagsExitWithTwoAndNameTheField() {
        String err = capturingStandardError(() -> assertEquals(2, SimulateCommand.run(dp("--dp-noise-multiplier",
                "-1"))));
        assertTrue(err.contains("privacy.noiseMultiplier must be"), err);
        err = capturingStandardError(() -> assertEquals(2, SimulateCommand.run(with("--strategy-param",
                "weighting=uniform", "--dp-noise-multiplier", "1", "--dp-clip", "1", "--dp-delta", "0.01"))));
        assertTrue(err.contains("schedule.sampler"), err);
        err = capturingStandardError(() -> assertEquals(2, SimulateCommand.run(dp("--dp-noise-multiplier", "1",
                "--dp-delta", "0.2"))));
        assertTrue(err.contains("privacy.delta 0.2 must be below 1/N = 1/6"), err);
        err = capturingStandardError(() -> assertEquals(2, SimulateCommand.run(with("--dp-clip", "1"))));
        assertTrue(err.contains("--dp-clip needs --dp-noise-multiplier or --dp-target-epsilon"), err);
    }

    @Test
    void localDpSgdReportsTheClientsEpsilonEachRoundAndAClientRefusesPastItsBudget() throws IOException {
        Path csv = dir.resolve("local.csv");
        String err = capturingStandardError(() -> assertEquals(0, SimulateCommand.run(with(
                "--local-dp-noise-multiplier", "1.1", "--local-dp-clip", "1", "--csv", csv.toString()))));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(4, lines.size(), "header and three rounds: " + lines);
        double previous = 0;
        for (String line : lines.subList(1, lines.size())) {
            double local = Double.parseDouble(line.split(",", -1)[12]);
            assertTrue(local > previous, "the largest client epsilon grows: " + lines);
            previous = local;
        }
        assertTrue(lineWith(err, "round 3:").contains(String.format(java.util.Locale.ROOT, "local epsilon %.3f",
                previous)), err);
        err = capturingStandardError(() -> assertEquals(1, SimulateCommand.run(with(
                "--local-dp-noise-multiplier", "1.1", "--local-dp-clip", "1", "--local-dp-epsilon", "0.01"))));
        assertTrue(err.contains("a client refused to train: local DP-SGD budget"), err);
    }

    @Test
    void badLocalDpFlagsExitWithTwoAndNameTheField() {
        String err = capturingStandardError(() -> assertEquals(2, SimulateCommand.run(with("--local-dp-clip", "1"))));
        assertTrue(err.contains("--local-dp-clip needs --local-dp-noise-multiplier"), err);
        err = capturingStandardError(() -> assertEquals(2, SimulateCommand.run(with(
                "--local-dp-noise-multiplier", "1"))));
        assertTrue(err.contains("privacy.local.clip is required"), err);
        err = capturingStandardError(() -> assertEquals(2, SimulateCommand.run(with(
                "--local-dp-noise-multiplier", "-1", "--local-dp-clip", "1"))));
        assertTrue(err.contains("privacy.local.noiseMultiplier must be"), err);
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
