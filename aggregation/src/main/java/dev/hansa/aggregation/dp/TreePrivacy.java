package dev.hansa.aggregation.dp;

import dev.hansa.aggregation.aggregate.GroupAggregate;
import dev.hansa.aggregation.aggregate.RoundAggregate;
import dev.hansa.aggregation.random.Seeds;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.privacy.mechanism.DpFtrlSettings;
import dev.hansa.privacy.noise.GaussianNoise;
import dev.hansa.privacy.tree.DerivedNodeNoise;
import dev.hansa.privacy.tree.RestartSchedule;
import dev.hansa.privacy.tree.TreeNoise;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's stage of DP-FTRL (Kairouz, McMahan, Song, Thakkar, Thakurta, Xu, ICML 2021) in its federated form
 * (TFF {@code DifferentiallyPrivateFactory.tree_aggregation}): round t is leaf t of the current tree; the sum of the
 * round's clipped updates (weight 1 each) gets the tree's residual noise {@code N_t - N_(t-1)} and is divided by the
 * constant {@code clientsPerRound}, so the strategy's running sum of updates carries exactly the tree's prefix noise.
 * With FedAvg at a constant server rate that is DP-FTRL; with FedAvgM it is DP-FTRLM (heavy-ball momentum on the
 * residual stream equals the momentum of the noised prefix sums).
 *
 * <p>The node noise is derived from a per-federation secret ({@link DerivedNodeNoise}), so a restarted server draws
 * the running tree's nodes again and continues the same noise without storing any of it. Rounds are released one at
 * a time per federation; this stage keeps the current tree's nodes between rounds.
 */
public final class TreePrivacy {

    private final DpFtrlSettings settings;
    private final Optional<byte[]> secret;
    private final Map<Integer, TreeNoise> byDimension = new HashMap<>();

    /** A stage that cannot release until it is given its federation's secret ({@link #withSecret}). */
    public TreePrivacy(DpFtrlSettings settings) {
        this(settings, Optional.empty());
    }

    private TreePrivacy(DpFtrlSettings settings, Optional<byte[]> secret) {
        this.settings = settings;
        this.secret = secret;
    }

    public DpFtrlSettings settings() {
        return settings;
    }

    /** The same stage deriving its node noise from {@code secret} (at least 32 bytes, kept by the server). */
    public TreePrivacy withSecret(byte[] secret) {
        if (secret.length < DerivedNodeNoise.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the tree's secret must have at least "
                    + DerivedNodeNoise.MIN_SECRET_BYTES + " bytes, got " + secret.length);
        }
        return new TreePrivacy(settings, Optional.of(secret.clone()));
    }

    /**
     * A secret derived from the federation's seed, for simulations that must repeat themselves only: anyone who
     * knows the seed can subtract the noise.
     */
    public static byte[] seededSecret(long federationSeed) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(ByteBuffer.allocate(64)
                    .put("hansa.dp-ftrl.simulation".getBytes(StandardCharsets.US_ASCII))
                    .putLong(Seeds.mix(federationSeed)).array());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /** The candidates that the participation limit lets into round {@code round}, in candidate order. */
    public List<String> eligible(List<String> candidates, Contributions contributions, int round) {
        return candidates.stream().filter(id -> settings.allows(contributions.rounds(id), round)).toList();
    }

    /** Whether round {@code round} is the last of its tree: the server optimizer's state starts afresh after it. */
    public boolean restartsAfter(long round) {
        return settings.restarts().restartsAfter(round);
    }

    /** What a round releases: the noised aggregate (sum plus residual noise, weight n) and its metrics. */
    public record Release(RoundAggregate aggregate, Map<String, Double> metrics) {
        public Release {
            metrics = Map.copyOf(metrics);
        }
    }

    /**
     * Noises the round's aggregate.
     *
     * @throws IllegalStateException without a secret, for more than one role, or for a sum too large for the grid
     */
    public synchronized Release release(RoundContext context, RoundAggregate aggregate) {
        byte[] key = secret.orElseThrow(() -> new IllegalStateException(
                "DP-FTRL has no secret to derive its tree noise from"));
        if (aggregate.byRole().isEmpty()) {
            throw new IllegalStateException("DP-FTRL has no update to noise: no client took part (does the "
                    + "participation limit leave anyone for this tree?)");
        }
        if (aggregate.byRole().size() != 1) {
            throw new IllegalStateException("DP-FTRL noises one sum per round; this round has roles "
                    + aggregate.byRole().keySet());
        }
        var role = aggregate.byRole().entrySet().iterator().next();
        GroupAggregate g = role.getValue();
        int d = g.sum().length;
        GaussianNoise.Calibration calibration = GaussianNoise.calibrate(settings.clipNorm(), settings.noiseMultiplier(),
                d);
        TreeNoise tree = byDimension.computeIfAbsent(d, x -> new TreeNoise(settings.variant(),
                new DerivedNodeNoise(key, calibration, d), d));
        RestartSchedule.Position at = settings.restarts().position(context.round());
        long[] residual = tree.residual(at.tree(), at.leaf());
        double step = calibration.granularity();
        double[] noised = new double[d];
        for (int i = 0; i < d; i++) {
            double steps = Math.rint(g.sum()[i] / step);
            if (!(Math.abs(steps) < 0x1p52)) {
                throw new IllegalStateException("the round's sum at index " + i + " (" + g.sum()[i]
                        + ") is not finite or too large for the noise grid step " + step);
            }
            noised[i] = ((long) steps + residual[i]) * step;
        }
        int n = settings.clientsPerRound();
        Map<String, Double> metrics = new HashMap<>();
        metrics.put("dp.clip", settings.clipNorm());
        metrics.put("dp.noise_stddev", calibration.stddev());
        metrics.put("dp.prefix_noise_stddev", calibration.stddev()
                * Math.sqrt(settings.variant().prefixVariance(at.leaf())));
        metrics.put("dp.denominator", (double) n);
        metrics.put("dp.tree", (double) at.tree());
        metrics.put("dp.leaf", (double) at.leaf());
        return new Release(new RoundAggregate(Map.of(role.getKey(), new GroupAggregate(noised, n, g.count(),
                g.totalSamples(), Map.of()))), metrics);
    }
}
