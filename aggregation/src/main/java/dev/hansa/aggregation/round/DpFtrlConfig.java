package dev.hansa.aggregation.round;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.privacy.accounting.TreeAccountant;
import dev.hansa.privacy.accounting.TreeSensitivity;
import dev.hansa.privacy.mechanism.DpFtrlSettings;
import dev.hansa.privacy.tree.RestartSchedule;
import dev.hansa.privacy.tree.TreeVariant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses a {@code privacy} section with {@code mechanism: dp-ftrl} (docs/privacy.md, "DP-FTRL"): {@code clipNorm},
 * {@code noiseMultiplier} or {@code targetEpsilon} (planned over the federation's rounds), {@code delta},
 * {@code clientsPerRound}, {@code tree} ({@code efficient} or {@code plain}), {@code restartEvery} and
 * {@code restartWarmup}, {@code maxParticipations}, {@code minSeparation}, {@code epsilon} (the budget). Every error
 * names the field.
 */
final class DpFtrlConfig {

    static final String DP_FEDAVG = "dp-fedavg";
    static final String DP_FTRL = "dp-ftrl";

    private DpFtrlConfig() {
    }

    /** Whether the section selects DP-FTRL; absent {@code mechanism} means DP-FedAvg. */
    static boolean selected(Map<String, ?> section) {
        Object mechanism = section.get("mechanism");
        if (mechanism == null || DP_FEDAVG.equals(mechanism)) {
            return false;
        }
        if (DP_FTRL.equals(mechanism)) {
            return true;
        }
        throw new IllegalArgumentException("privacy.mechanism must be one of " + List.of(DP_FEDAVG, DP_FTRL)
                + ", got " + mechanism);
    }

    static DpFtrlSettings parse(Map<String, ?> section, RoundConfig.Sampling sampling, int rounds) {
        Hyperparameters h = new Hyperparameters("privacy", "DP-FTRL", section);
        h.choice("mechanism", DP_FTRL, List.of(DP_FTRL));
        boolean givenSigma = h.has("noiseMultiplier");
        if (givenSigma == h.has("targetEpsilon")) {
            throw new IllegalArgumentException("privacy: give exactly one of noiseMultiplier and targetEpsilon");
        }
        for (String required : new String[] {"delta", "clipNorm", "clientsPerRound"}) {
            if (!h.has(required)) {
                throw new IllegalArgumentException("privacy." + required + " is required for DP-FTRL");
            }
        }
        double delta = h.real("delta", 0, 0, false, 1, false);
        double clip = h.real("clipNorm", 0, 0, false, 1e9, true);
        int perRound = (int) h.integer("clientsPerRound", 0, 1, 10_000_000);
        TreeVariant variant = TreeVariant.valueOf(h.choice("tree", "efficient", List.of("efficient", "plain"))
                .toUpperCase(Locale.ROOT));
        long every = h.integer("restartEvery", 0, 0, 1_000_000_000);
        long warmup = h.integer("restartWarmup", 0, 0, 1_000_000_000);
        if (warmup > 0 && warmup >= every) {
            throw new IllegalArgumentException("privacy.restartWarmup must be below privacy.restartEvery ("
                    + every + "), got " + warmup);
        }
        RestartSchedule restarts = every == 0 ? RestartSchedule.NONE : RestartSchedule.every(every, warmup);
        int k = (int) h.integer("maxParticipations", 1, 1, 1_000_000);
        int b = (int) h.integer("minSeparation", 0, 0, 1_000_000);
        double target = h.has("targetEpsilon") ? h.real("targetEpsilon", 0, 0, false, 1e6, true) : Double.NaN;
        double epsilon = h.real("epsilon", givenSigma ? Double.POSITIVE_INFINITY : target, 0, false, 1e6, true);
        double sigma = givenSigma ? h.real("noiseMultiplier", 0, 0, false, 1e6, true)
                : plan(restarts, rounds, k, b, target, delta);
        h.done();
        if (!sampling.sampler().equals("uniform") || sampling.clientFraction() != 1) {
            throw new IllegalArgumentException("schedule.sampler: DP-FTRL does not sample; every eligible live client "
                    + "takes part (up to privacy.clientsPerRound), so leave the sampler uniform with clientFraction 1");
        }
        if (perRound < sampling.minClients()) {
            throw new IllegalArgumentException("privacy.clientsPerRound " + perRound + " must be at least "
                    + "schedule.minClients (" + sampling.minClients() + ")");
        }
        DpFtrlSettings settings = new DpFtrlSettings(sigma, clip, variant, restarts, k, b, perRound, epsilon, delta);
        settings.checkPopulation(sampling.minClients(), "schedule.minClients, the fewest clients a round opens with");
        return settings;
    }

    /** The multiplier whose trees over {@code rounds} rounds spend {@code target}. */
    private static double plan(RestartSchedule restarts, int rounds, int k, int b, double target, double delta) {
        if (rounds < 1) {
            throw new IllegalArgumentException("privacy.targetEpsilon needs the number of rounds to plan over");
        }
        long zeta = 0;
        for (long leaves : restarts.treeSizes(rounds)) {
            zeta += TreeSensitivity.squared(leaves, k, b);
        }
        try {
            return TreeAccountant.empty().noiseMultiplier(zeta, target, delta);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("privacy." + e.getMessage(), e);
        }
    }
}
