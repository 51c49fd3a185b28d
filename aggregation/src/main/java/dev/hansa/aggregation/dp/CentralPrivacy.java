package dev.hansa.aggregation.dp;

import dev.hansa.aggregation.aggregate.GroupAggregate;
import dev.hansa.aggregation.aggregate.RoundAggregate;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.update.transform.ClipToNorm;
import dev.hansa.privacy.accounting.RdpAccountant;
import dev.hansa.privacy.accounting.SampledGaussianEvent;
import dev.hansa.privacy.mechanism.AdaptiveClipping;
import dev.hansa.privacy.mechanism.DpFedAvgSettings;
import dev.hansa.privacy.noise.GaussianNoise;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The server's stage of client-level DP-FedAvg (McMahan, Ramage, Talwar, Zhang, ICLR 2018), between the aggregator
 * and the strategy's server update: each role's sum of clipped updates (weight 1 each) gets Gaussian noise of
 * standard deviation {@code z_Delta C} once, and is divided by the configured {@link
 * dev.hansa.privacy.mechanism.Denominator}, so the strategy's mean is {@code (sum + noise) / m}. With adaptive
 * clipping the round also releases the noised share of unclipped updates and moves the clip (Andrew et al. 2021);
 * the clip lives in the server state under {@value #CLIP}, so a restarted server continues with it. A strategy whose
 * rounds release sums of different kinds (DIFF2) sets each round's clip and multiplier through a
 * {@link ReleaseSchedule}; the accountant then charges each round its own multiplier ({@link #event}).
 *
 * <p>The noised aggregate carries no client metric means: they are computed from the participants' data without
 * noise, so they stay on the server (in the participants' records) instead of going into the round's metrics.
 */
public final class CentralPrivacy {

    /** The server-state scalar holding the clip of the next round. */
    public static final String CLIP = "privacy.clip";

    private final DpFedAvgSettings settings;
    private final NoiseSource noise;
    /** Null: every round has the settings' multiplier and the state's clip. */
    private final ReleaseSchedule schedule;

    public CentralPrivacy(DpFedAvgSettings settings, NoiseSource noise) {
        this(settings, noise, null);
    }

    private CentralPrivacy(DpFedAvgSettings settings, NoiseSource noise, ReleaseSchedule schedule) {
        this.settings = settings;
        this.noise = noise;
        this.schedule = schedule;
    }

    public DpFedAvgSettings settings() {
        return settings;
    }

    /** The same stage drawing its noise from {@code source}. */
    public CentralPrivacy withNoise(NoiseSource source) {
        return new CentralPrivacy(settings, source, schedule);
    }

    /**
     * The same stage with each round's clip and multiplier from {@code rounds} (DIFF2).
     *
     * @throws IllegalArgumentException naming {@code privacy.adaptiveClipping}: adaptive clipping sets the clip
     *                                  itself
     */
    public CentralPrivacy withSchedule(ReleaseSchedule rounds) {
        if (settings.adaptive().isPresent()) {
            throw new IllegalArgumentException("privacy.adaptiveClipping: this strategy sets each round's clip "
                    + "itself; leave adaptive clipping off");
        }
        return new CentralPrivacy(settings, noise, rounds);
    }

    /** The clip for the round that starts from server state {@code state}. */
    public double clip(State state) {
        return state.scalar(CLIP, settings.clipNorm());
    }

    /** The clip of round {@code round}, which starts from server state {@code state}. */
    public double clip(long round, State state) {
        return schedule == null ? clip(state) : schedule.clip(round, state);
    }

    /** The whole noise multiplier of round {@code round} (the accountant's sigma). */
    public double noiseMultiplier(long round) {
        return schedule == null ? settings.noiseMultiplier() : schedule.noiseMultiplier(round);
    }

    /** Round {@code round}'s event for the accountant: Poisson rate q, the round's multiplier, one step. */
    public SampledGaussianEvent event(long round) {
        return new SampledGaussianEvent(settings.samplingRate(), noiseMultiplier(round), 1);
    }

    /** Why round {@code round} may not open after {@code spent} (it would pass the budget), or empty. */
    public Optional<String> refusal(RdpAccountant spent, long round) {
        return settings.refusal(spent, event(round));
    }

    /**
     * What a round releases.
     *
     * @param aggregate the noised aggregate, per role: sum plus noise, total weight m, no metric means
     * @param nextClip  the clip of the next round
     * @param metrics   {@code dp.clip}, {@code dp.noise_stddev}, {@code dp.denominator}, and with adaptive clipping
     *                  {@code dp.unclipped_fraction} (noised)
     */
    public record Release(RoundAggregate aggregate, double nextClip, Map<String, Double> metrics) {
        public Release {
            metrics = Map.copyOf(metrics);
        }

        /** {@code state} holding the next round's clip. */
        public State stateWith(State state) {
            Map<String, Double> scalars = new HashMap<>(state.scalars());
            scalars.put(CLIP, nextClip);
            return new State(state.tensors(), scalars);
        }
    }

    /**
     * Noises the round's aggregate.
     *
     * @param clip the clip the round's participants were told
     * @throws IllegalStateException when adaptive clipping's count noise is too small for the round's multiplier
     */
    public Release release(RoundContext context, RoundAggregate aggregate, double clip) {
        double expected = settings.samplingRate() * context.totalClients();
        Optional<AdaptiveClipping> adaptive = settings.adaptive().map(a -> a.rule(expected));
        double z;
        try {
            z = adaptive.isPresent() ? adaptive.get().valueNoiseMultiplier(settings.noiseMultiplier())
                    : noiseMultiplier(context.round());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage() + " (with " + context.totalClients() + " clients)", e);
        }
        GaussianNoise gaussian = noise.forRound(context.seed());
        Map<String, GroupAggregate> noised = new HashMap<>();
        Map<String, Double> metrics = new HashMap<>();
        int count = 0;
        double unclipped = 0;
        double denominator = Double.NaN;
        double stddev = 0;
        for (var role : aggregate.byRole().entrySet()) {
            GroupAggregate g = role.getValue();
            denominator = settings.denominator().of(settings.samplingRate(), context.totalClients(), g.count());
            GaussianNoise.Calibration calibration = GaussianNoise.calibrate(clip, z, g.sum().length);
            stddev = calibration.stddev();
            noised.put(role.getKey(), new GroupAggregate(gaussian.add(g.sum(), calibration), denominator, g.count(),
                    g.totalSamples(), Map.of()));
            count += g.count();
            unclipped += g.count() * g.metricMeans().getOrDefault(ClipToNorm.UNCLIPPED, 0.0);
        }
        metrics.put("dp.clip", clip);
        metrics.put("dp.noise_stddev", stddev);
        metrics.put("dp.denominator", denominator);
        double next = clip;
        if (adaptive.isPresent()) {
            double m = settings.denominator().of(settings.samplingRate(), context.totalClients(), count);
            double fraction = AdaptiveClipping.noisedFraction(Math.rint(unclipped), count, m,
                    gaussian.sample(adaptive.get().clippedCountStddev()));
            metrics.put("dp.unclipped_fraction", fraction);
            next = adaptive.get().nextClip(clip, fraction);
        }
        return new Release(new RoundAggregate(noised), next, metrics);
    }
}
