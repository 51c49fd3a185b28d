package dev.hansa.client.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code simulate}'s flags for client-level DP-FedAvg, read into the {@code privacy} section of a federation's config
 * (docs/privacy.md), so the simulation and the server validate them with one parser. A run is private when
 * {@code --dp-noise-multiplier} or {@code --dp-target-epsilon} is given; every other {@code --dp-} flag refines it
 * (the {@code --dp-difference-} ones DIFF2's difference rounds, {@code --strategy diff2}).
 * {@code --dp-mechanism dp-ftrl} runs DP-FTRL instead (no sampling, tree noise; its own {@code --dp-tree},
 * {@code --dp-restart-*}, {@code --dp-max-participations} and {@code --dp-min-separation}).
 *
 * <p>The {@code --local-dp-} flags configure every simulated client's own example-level DP-SGD, read into a client's
 * {@code privacy.local} section ({@link dev.hansa.client.privacy.LocalDpConfig}); given by
 * {@code --local-dp-noise-multiplier}, refined by the others.
 */
final class PrivacyOptions {

    private PrivacyOptions() {
    }

    /** Declares the flags on {@code options}; returns {@code options}. */
    static Options declare(Options options) {
        return options
                .option("dp-noise-multiplier", "", "DP-FedAvg: the noise multiplier z (noise std z * clip on the sum)")
                .option("dp-target-epsilon", "", "DP-FedAvg: plan z so that --rounds rounds spend this epsilon "
                        + "(also the budget unless --dp-epsilon)")
                .option("dp-clip", "", "DP-FedAvg: the L2 clip of each update (adaptive: the first round's, 0.1)")
                .option("dp-adaptive-clip", "false", "DP-FedAvg: adapt the clip to a quantile of the update norms")
                .option("dp-target-quantile", "", "adaptive clipping: the share of updates left unclipped (0.5)")
                .option("dp-clip-lr", "", "adaptive clipping: the geometric learning rate (0.2)")
                .option("dp-clipped-count-stddev", "", "adaptive clipping: the count's noise (expected clients / 20)")
                .option("dp-sampling-rate", "", "DP-FedAvg: Poisson rate q (default: --per-round / --clients); "
                        + "needs --sampler poisson")
                .option("dp-delta", "", "DP-FedAvg: delta (default 1e-5; must be below 1 / --clients)")
                .option("dp-epsilon", "", "DP-FedAvg: the budget; the run stops before a round would pass it")
                .option("dp-denominator", "", "DP-FedAvg: expected (q N, default) or actual (the round's count)")
                .option("dp-difference-noise-multiplier", "", "DIFF2: the difference rounds' multiplier z2 "
                        + "(default: --dp-noise-multiplier)")
                .option("dp-difference-clip-factor", "", "DIFF2: C2, the difference rounds' clip over the last "
                        + "step length (required with --strategy diff2)")
                .option("dp-mechanism", "", "dp-fedavg (default) or dp-ftrl: no sampling, tree-aggregated noise, "
                        + "--per-round eligible clients per round")
                .option("dp-tree", "", "DP-FTRL: efficient (default) or plain tree aggregation")
                .option("dp-restart-every", "", "DP-FTRL: a new tree every this many rounds (default: never)")
                .option("dp-restart-warmup", "", "DP-FTRL: the first tree's rounds, when not --dp-restart-every")
                .option("dp-max-participations", "", "DP-FTRL: the most rounds of one tree a client may join (1)")
                .option("dp-min-separation", "", "DP-FTRL: the fewest rounds between two of a client's (0)")
                .option("local-dp-noise-multiplier", "", "local DP-SGD on every client: the noise multiplier sigma")
                .option("local-dp-clip", "", "local DP-SGD: the L2 clip of each example's gradient (required)")
                .option("local-dp-delta", "", "local DP-SGD: each client's delta (default 1e-5)")
                .option("local-dp-epsilon", "", "local DP-SGD: each client's budget; it refuses a round past it")
                .option("local-dp-clipping", "", "local DP-SGD: ghost (default) or naive per-example clipping");
    }

    /** The {@code privacy} section the flags describe; empty when the run is not private. */
    static Map<String, Object> section(Options o) {
        Map<String, Object> section = new LinkedHashMap<>();
        if (o.string("dp-noise-multiplier").isEmpty() && o.string("dp-target-epsilon").isEmpty()) {
            for (String flag : new String[] {"dp-clip", "dp-target-quantile", "dp-clip-lr", "dp-clipped-count-stddev",
                    "dp-sampling-rate", "dp-delta", "dp-epsilon", "dp-denominator", "dp-difference-noise-multiplier",
                    "dp-difference-clip-factor", "dp-mechanism", "dp-tree", "dp-restart-every", "dp-restart-warmup",
                    "dp-max-participations", "dp-min-separation"}) {
                if (!o.string(flag).isEmpty()) {
                    throw new IllegalArgumentException("--" + flag + " needs --dp-noise-multiplier or "
                            + "--dp-target-epsilon");
                }
            }
            return section;
        }
        real(o, "dp-noise-multiplier", "noiseMultiplier", section);
        real(o, "dp-target-epsilon", "targetEpsilon", section);
        real(o, "dp-clip", "clipNorm", section);
        if (!o.string("dp-adaptive-clip").equals("false")) {
            if (!o.string("dp-adaptive-clip").equals("true")) {
                throw new IllegalArgumentException("--dp-adaptive-clip must be true or false");
            }
            section.put("adaptiveClipping", true);
        }
        real(o, "dp-target-quantile", "targetQuantile", section);
        real(o, "dp-clip-lr", "clipLearningRate", section);
        real(o, "dp-clipped-count-stddev", "clippedCountStddev", section);
        real(o, "dp-sampling-rate", "samplingRate", section);
        section.put("delta", o.string("dp-delta").isEmpty() ? 1e-5 : o.real("dp-delta"));
        real(o, "dp-epsilon", "epsilon", section);
        if (!o.string("dp-denominator").isEmpty()) {
            section.put("denominator", o.string("dp-denominator"));
        }
        real(o, "dp-difference-noise-multiplier", "differenceNoiseMultiplier", section);
        real(o, "dp-difference-clip-factor", "differenceClipFactor", section);
        if (!o.string("dp-mechanism").isEmpty()) {
            section.put("mechanism", o.string("dp-mechanism"));
        }
        if (!o.string("dp-tree").isEmpty()) {
            section.put("tree", o.string("dp-tree"));
        }
        integer(o, "dp-restart-every", "restartEvery", section);
        integer(o, "dp-restart-warmup", "restartWarmup", section);
        integer(o, "dp-max-participations", "maxParticipations", section);
        integer(o, "dp-min-separation", "minSeparation", section);
        return section;
    }

    /** A client's {@code privacy.local} section the {@code --local-dp-} flags describe; empty without them. */
    static Map<String, Object> localSection(Options o) {
        Map<String, Object> section = new LinkedHashMap<>();
        String[] refinements = {"local-dp-clip", "local-dp-delta", "local-dp-epsilon", "local-dp-clipping"};
        if (o.string("local-dp-noise-multiplier").isEmpty()) {
            for (String flag : refinements) {
                if (!o.string(flag).isEmpty()) {
                    throw new IllegalArgumentException("--" + flag + " needs --local-dp-noise-multiplier");
                }
            }
            return section;
        }
        real(o, "local-dp-noise-multiplier", "noiseMultiplier", section);
        real(o, "local-dp-clip", "clip", section);
        real(o, "local-dp-delta", "delta", section);
        real(o, "local-dp-epsilon", "epsilon", section);
        if (!o.string("local-dp-clipping").isEmpty()) {
            section.put("clipping", o.string("local-dp-clipping"));
        }
        return section;
    }

    private static void integer(Options o, String flag, String field, Map<String, Object> into) {
        if (!o.string(flag).isEmpty()) {
            into.put(field, o.integer(flag));
        }
    }

    private static void real(Options o, String flag, String field, Map<String, Object> into) {
        if (!o.string(flag).isEmpty()) {
            into.put(field, o.real(flag));
        }
    }
}
