package dev.hansa.privacy.mechanism;

import dev.hansa.privacy.accounting.TreeAccountant;
import dev.hansa.privacy.accounting.TreeAggregationEvent;
import dev.hansa.privacy.tree.RestartSchedule;
import dev.hansa.privacy.tree.TreeVariant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code privacy} section of a federation that runs DP-FTRL (Kairouz et al. 2021) instead of DP-FedAvg: no
 * sampling, tree-aggregated noise, each client's contributions bounded per tree. Validated on construction; every
 * message starts with the field it concerns.
 *
 * @param noiseMultiplier   sigma, each tree node's noise standard deviation over the clip, > 0
 * @param clipNorm          C, the L2 bound on each update, > 0
 * @param variant           how prefixes read the nodes (plain or efficient; same privacy)
 * @param restarts          when new trees start
 * @param maxParticipations k, the most rounds of one tree a client's update may enter, >= 1
 * @param minSeparation     b, the fewest rounds between two rounds a client's update enters in one tree, >= 0
 * @param clientsPerRound   n, the most clients a round takes and the constant the noised sum is divided by, >= 1
 * @param epsilon           the budget ({@code +inf}: none)
 * @param delta             the delta epsilon is reported at, in (0, 1)
 */
public record DpFtrlSettings(double noiseMultiplier, double clipNorm, TreeVariant variant, RestartSchedule restarts,
                             int maxParticipations, int minSeparation, int clientsPerRound, double epsilon,
                             double delta) {

    public DpFtrlSettings {
        require(noiseMultiplier > 0 && Double.isFinite(noiseMultiplier), "privacy.noiseMultiplier",
                "finite and > 0 (the tree's privacy rests on its node noise)", noiseMultiplier);
        require(clipNorm > 0 && Double.isFinite(clipNorm), "privacy.clipNorm", "finite and > 0", clipNorm);
        require(maxParticipations >= 1, "privacy.maxParticipations", ">= 1", maxParticipations);
        require(minSeparation >= 0, "privacy.minSeparation", ">= 0", minSeparation);
        require(clientsPerRound >= 1, "privacy.clientsPerRound", ">= 1", clientsPerRound);
        require(epsilon > 0, "privacy.epsilon", "> 0 (or absent: no budget)", epsilon);
        require(delta > 0 && delta < 1, "privacy.delta", "in (0, 1)", delta);
        if (variant == null || restarts == null) {
            throw new IllegalArgumentException("privacy: variant and restarts must not be null");
        }
    }

    /**
     * Whether a client whose update entered rounds {@code contributed} of the current tree (ascending) may take part
     * in round {@code round}: fewer than k contributions in this tree, and the last one more than b rounds ago.
     */
    public boolean allows(List<Integer> contributed, int round) {
        int tree = restarts.position(round).tree();
        List<Integer> inTree = contributed.stream().filter(r -> restarts.position(r).tree() == tree).toList();
        return inTree.size() < maxParticipations && (inTree.isEmpty() || round - inTree.getLast() > minSeparation);
    }

    /** The first round of the tree that round {@code round} belongs to. */
    public int treeStart(int round) {
        return Math.toIntExact(round - restarts.position(round).leaf() + 1);
    }

    /** The accountant after {@code rounds} closed rounds: one event per tree touched, the last one partial. */
    public TreeAccountant accountant(int rounds) {
        TreeAccountant accountant = TreeAccountant.empty();
        for (long leaves : restarts.treeSizes(rounds)) {
            accountant = accountant.compose(new TreeAggregationEvent(noiseMultiplier, leaves, maxParticipations,
                    minSeparation));
        }
        return accountant;
    }

    /** Whether round {@code closed + 1} stays within the budget, as {@link DpFedAvgSettings#refusal} says. */
    public Optional<String> refusal(int closed) {
        double next = accountant(closed + 1).epsilon(delta);
        if (next <= epsilon) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "privacy budget: one more round would spend epsilon "
                + "%.4f at delta %.3g, past the budget privacy.epsilon = %.4f (spent so far: %.4f after %d rounds)",
                next, delta, epsilon, accountant(closed).epsilon(delta), closed));
    }

    /** Checks delta against the population, as {@link DpFedAvgSettings#checkPopulation} does. */
    public void checkPopulation(int clients, String whatTheCountIs) {
        if (delta >= 1.0 / clients) {
            throw new IllegalArgumentException("privacy.delta " + delta + " must be below 1/N = 1/" + clients + " ("
                    + whatTheCountIs + "): a delta of 1/N allows publishing one client's update in the clear");
        }
    }

    /** The settings as the federation records them, defaults included. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mechanism", "dp-ftrl");
        out.put("noiseMultiplier", noiseMultiplier);
        out.put("clipNorm", clipNorm);
        out.put("tree", variant.name().toLowerCase(Locale.ROOT));
        out.put("restartEvery", restarts.period());
        out.put("restartWarmup", restarts.warmup());
        out.put("maxParticipations", maxParticipations);
        out.put("minSeparation", minSeparation);
        out.put("clientsPerRound", clientsPerRound);
        if (epsilon != Double.POSITIVE_INFINITY) {
            out.put("epsilon", epsilon);
        }
        out.put("delta", delta);
        return out;
    }

    private static void require(boolean ok, String field, String what, double got) {
        if (!ok) {
            throw new IllegalArgumentException(field + " must be " + what + ", got " + got);
        }
    }
}
