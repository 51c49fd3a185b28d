package dev.hansa.client.privacy;

import dev.hansa.aggregation.random.Seeds;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.ClientOptimizer;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.Objective;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.strategy.fedavg.LocalSgd;
import dev.hansa.aggregation.strategy.local.LocalChecks;
import dev.hansa.aggregation.strategy.local.MinibatchSchedule;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.training.PerExampleObjective;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;
import dev.hansa.privacy.noise.GaussianNoise;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Example-level DP-SGD on the client (Abadi et al. 2016, with Opacus's semantics; docs/algorithms.md), in place of
 * the plain local SGD of FedAvg and its server-optimizer relatives, for a client that does not trust the server.
 * With n local examples and the plan's batch size B, the expected batch is L = min(B, n) and the rate q = L / n; the
 * plan's step count T is kept. One step:
 * <pre>
 *   batch ~ Poisson(q) over the n examples                   (each example in independently, size varies)
 *   s = sum over the batch of grad l_i * min(1, C / (||grad l_i|| + 1e-6))
 *   g = (s + N(0, sigma^2 C^2 I)) / L                          (expected size, not the drawn one)
 *   w = w - lr * g
 * </pre>
 * Upload {@code w - w0}. The client's {@link LocalPrivacyAccount} composes T steps of the sampled Gaussian mechanism
 * (q, sigma) per round, paid before the round's first step, and reports the epsilon spent so far as
 * {@value #EPSILON_METRIC}; the client refuses a round that would pass its budget
 * ({@link LocalBudgetExhaustedException}). The noise comes from {@link GaussianNoise} (secure, floating-point safe)
 * and the sampling from {@link SecureRandom}, unless the config asks for seeded ones.
 */
public final class LocalDpSgd implements ClientOptimizer {

    /** The metric carrying the client's cumulative example-level epsilon at its own delta. */
    public static final String EPSILON_METRIC = "localEpsilon";

    private final String name;
    private final LocalDpConfig config;
    private final LocalPrivacyAccount account;

    /**
     * @param strategy the federation's strategy, whose client half must be plain local SGD
     * @param account  this client's account, kept across its rounds (one per client)
     */
    public LocalDpSgd(String strategy, LocalDpConfig config, LocalPrivacyAccount account) {
        if (!(Strategies.clientOptimizer(strategy) instanceof LocalSgd)) {
            throw new IllegalArgumentException(LocalDpConfig.PATH + ": local DP-SGD replaces plain local SGD, but "
                    + "strategy " + strategy + " trains its clients otherwise");
        }
        this.name = strategy;
        this.config = config;
        this.account = account;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LocalResult train(Objective objective, Tensors global, TrainingPlan plan, Optional<Tensors> broadcast,
                             State state) {
        LocalChecks.require(name, objective, global, plan);
        if (!plan.params().isEmpty()) {
            throw new IllegalArgumentException(LocalDpConfig.PATH + ": local DP-SGD takes plain SGD steps, so "
                    + "training.params." + plan.params().keySet().iterator().next() + " cannot apply");
        }
        if (!(objective instanceof PerExampleObjective perExample)) {
            throw new IllegalArgumentException(LocalDpConfig.PATH + ": the model cannot clip per example");
        }
        int n = objective.numSamples();
        config.checkExamples(n);
        int expectedBatch = Math.min(plan.batchSize(), n);
        double q = (double) expectedBatch / n;
        long steps = MinibatchSchedule.steps(plan, n);
        // Write-ahead: the round is paid for (on disk, for a stored account) before any noisy step is taken.
        account.spend(q, config.noiseMultiplier(), steps);
        PoissonBatches batches = new PoissonBatches(n, q, sampling(plan.seed()));
        GaussianNoise noise = config.seededNoise()
                ? GaussianNoise.seeded(Seeds.forClient(plan.seed(), "privacy/local-noise")) : GaussianNoise.secure();
        GaussianNoise.Calibration calibration = GaussianNoise.calibrate(config.clip(), config.noiseMultiplier(),
                global.values().length);
        Backend b = objective.backend();
        double lossSum = 0;
        long nonEmpty = 0;
        try (FloatArray w = b.upload(global.values()); FloatArray sum = b.allocate(w.length())) {
            for (long s = 0; s < steps; s++) {
                int[] batch = batches.next();
                if (batch.length > 0) {
                    lossSum += perExample.clippedGradientSum(w, batch, config.clip(), config.clipping(), sum);
                    nonEmpty++;
                } else {
                    b.fill(sum, 0f);
                }
                sum.copyFromHost(noisyMean(sum.toHost(), noise, calibration, expectedBatch));
                b.axpy((float) -plan.learningRate(), sum, w);
            }
            float[] delta = w.toHost();
            float[] start = global.values();
            for (int i = 0; i < delta.length; i++) {
                delta[i] -= start[i];
            }
            Map<String, Double> metrics = new HashMap<>();
            metrics.put(EPSILON_METRIC, account.epsilon());
            if (nonEmpty > 0) {
                metrics.put("train_loss", lossSum / nonEmpty);
            }
            return new LocalResult(new Tensors(global.spec(), delta), n, metrics, state);
        }
    }

    /** The step's sampling: from the plan's seed in a simulation, else secure (the server knows the seed). */
    private RandomGenerator sampling(long seed) {
        return config.seededNoise() ? Seeds.generator(Seeds.forClient(seed, "privacy/local-sampling"))
                : new SecureRandom();
    }

    /** (sum + noise) / expectedBatch, noise added once to the summed clipped gradients. */
    private static float[] noisyMean(float[] sum, GaussianNoise noise, GaussianNoise.Calibration calibration,
                                     int expectedBatch) {
        double[] wide = new double[sum.length];
        for (int i = 0; i < sum.length; i++) {
            wide[i] = sum[i];
        }
        double[] noisy = noise.add(wide, calibration);
        float[] out = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            out[i] = (float) (noisy[i] / expectedBatch);
        }
        return out;
    }
}
