package dev.hansa.aggregation.strategy.fedspeed;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.ClientOptimizer;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.Objective;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.strategy.local.LocalChecks;
import dev.hansa.aggregation.strategy.local.MinibatchSchedule;
import dev.hansa.aggregation.strategy.local.SgdOptions;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;
import java.util.Map;
import java.util.Optional;

/**
 * FedSpeed's client (Sun et al., ICLR 2023) in the form of the official FL-Simulator code ({@code client/fedspeed.py},
 * {@code optimizer/ESAM.py}), with the client's accumulated delta {@code h_i} kept in its own state ({@value #H})
 * instead of a server-side N x d table. One step on minibatch b, starting from w0 = x_t:
 * <pre>
 *   g1 = grad f(w; b);   e = rho g1 / (||g1|| + 1e-7)        (one global L2 norm)
 *   g  = grad f(w + e; b)                                    (same batch; SAM, alpha = 1)
 *   g  = clip_C(g + beta (h_i - w0)) + (wd + beta) w         (C = gradientClipNorm, 10 in the code)
 *   w  = w - lr g
 * </pre>
 * Upload {@code Delta_i = w - w0}; new state {@code h_i + Delta_i}. {@code train_loss} is the mean of f(w; b) at the
 * unperturbed weights. The returned state must be kept only once the server has accepted the upload, or the
 * client's h_i and the server's running sum drift apart.
 */
public final class FedSpeedClient implements ClientOptimizer {

    public static final String NAME = "fedspeed";
    /** Client state tensor: the sum of this client's accepted deltas. */
    public static final String H = "h";
    public static final String BETA = "beta";
    public static final String RHO = "rho";
    static final double DEFAULT_WEIGHT_DECAY = 1e-3;
    static final double DEFAULT_GRADIENT_CLIP_NORM = 10;
    private static final float SAM_EPSILON = 1e-7f;

    @Override
    public String name() {
        return NAME;
    }

    record Options(double beta, double rho, double weightDecay, double gradientClipNorm) {
    }

    static Options options(Map<String, Double> params) {
        Hyperparameters h = new Hyperparameters("training.params", NAME, params);
        double inf = Double.POSITIVE_INFINITY;
        Options o = new Options(h.real(BETA, 0.1, 0, true, inf, false), h.real(RHO, 0.1, 0, true, inf, false),
                h.real(TrainingConfig.WEIGHT_DECAY, DEFAULT_WEIGHT_DECAY, 0, true, inf, false),
                h.real(TrainingConfig.GRADIENT_CLIP_NORM, DEFAULT_GRADIENT_CLIP_NORM, 0, true, inf, false));
        h.done();
        return o;
    }

    @Override
    public LocalResult train(Objective objective, Tensors global, TrainingPlan plan,
                             Optional<Tensors> broadcast, State state) {
        LocalChecks.require(NAME, objective, global, plan);
        Options o = options(plan.params());
        float[] h = state.tensor(H).isPresent() ? state.require(H, global.spec()) : new float[global.values().length];
        Backend b = objective.backend();
        int n = objective.numSamples();
        long steps = MinibatchSchedule.steps(plan, n);
        MinibatchSchedule schedule = new MinibatchSchedule(n, plan.batchSize(), plan.seed());
        float lr = (float) plan.learningRate();
        try (FloatArray w = b.upload(global.values()); FloatArray w0 = b.upload(global.values());
             FloatArray correction = b.upload(h); FloatArray g = b.allocate(w.length());
             FloatArray e = b.allocate(w.length())) {
            b.axpy(-1f, w0, correction);
            double lossSum = 0;
            for (long s = 0; s < steps; s++) {
                int[] batch = schedule.next();
                lossSum += objective.lossAndGradient(w, batch, g);
                float norm = b.nrm2(g);
                b.copy(g, e);
                b.scal((float) (o.rho() / (norm + SAM_EPSILON)), e);
                b.axpy(1f, e, w);
                objective.lossAndGradient(w, batch, g);
                b.axpy(-1f, e, w);
                b.axpy((float) o.beta(), correction, g);
                SgdOptions.clipToNorm(b, g, o.gradientClipNorm());
                b.axpy((float) (o.weightDecay() + o.beta()), w, g);
                b.axpy(-lr, g, w);
            }
            b.axpy(-1f, w0, w);
            float[] delta = w.toHost();
            float[] nextH = new float[h.length];
            for (int i = 0; i < h.length; i++) {
                nextH[i] = h[i] + delta[i];
            }
            State next = new State(Map.of(H, new Tensors(global.spec(), nextH)), state.scalars());
            return new LocalResult(new Tensors(global.spec(), delta), n, Map.of("train_loss", lossSum / steps), next);
        }
    }
}
