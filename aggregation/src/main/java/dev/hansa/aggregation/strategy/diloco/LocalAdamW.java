package dev.hansa.aggregation.strategy.diloco;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.CheckedClientOptimizer;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.Objective;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.strategy.local.LocalChecks;
import dev.hansa.aggregation.strategy.local.MinibatchSchedule;
import dev.hansa.aggregation.strategy.local.SgdOptions;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;
import java.util.Map;
import java.util.Optional;

/**
 * DiLoCo's inner optimizer (Douillard et al., arXiv 2311.08105): H steps of AdamW (Loshchilov and Hutter, PyTorch's
 * {@code torch.optim.AdamW}) from the global model, uploading {@code w - w0} (minus DiLoCo's pseudo-gradient). Step
 * t = 1..H on minibatch b:
 * <pre>
 *   g = clip_C(grad f(w; b))                                  (C = gradientClipNorm; 0 = no clipping)
 *   w = w (1 - lr wd)                                         (decoupled weight decay, weightDecay)
 *   m = beta1 m + (1 - beta1) g ;  v = beta2 v + (1 - beta2) g^2
 *   w = w - lr (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
 * </pre>
 * The moments start at zero every round: DiLoCo's workers keep theirs across outer steps, but a sampled client
 * trains once every 1/q rounds on a model that has moved since, and bias correction is what makes a fresh start
 * sound. The loss gradient comes from the model's backend; the Adam step itself runs on the host in double (the
 * backend has no elementwise divide or square root), three passes over the parameters per step.
 */
public final class LocalAdamW implements CheckedClientOptimizer {

    public static final String BETA1 = "beta1";
    public static final String BETA2 = "beta2";
    public static final String EPSILON = "epsilon";

    private final String name;

    /** AdamW as the client half of strategy {@code name}. */
    public LocalAdamW(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** The options of the step, read from a plan's params (absent: PyTorch's defaults). */
    record Options(double beta1, double beta2, double epsilon, double weightDecay, double gradientClipNorm) {
    }

    Options options(Map<String, Double> params) {
        Hyperparameters h = new Hyperparameters("training.params", name, params);
        Options o = read(h);
        h.done();
        return o;
    }

    /** Reads the step's options from {@code h}, leaving its other fields to the caller. */
    static Options read(Hyperparameters h) {
        return new Options(h.real(BETA1, 0.9, 0, true, 1, false), h.real(BETA2, 0.999, 0, true, 1, false),
                h.real(EPSILON, 1e-8, 0, false, Double.POSITIVE_INFINITY, false),
                h.real(TrainingConfig.WEIGHT_DECAY, 0, 0, true, Double.POSITIVE_INFINITY, false),
                h.real(TrainingConfig.GRADIENT_CLIP_NORM, 0, 0, true, Double.POSITIVE_INFINITY, false));
    }

    @Override
    public void check(Map<String, Double> params) {
        options(params);
    }

    @Override
    public LocalResult train(Objective objective, Tensors global, TrainingPlan plan, Optional<Tensors> broadcast,
                             State state) {
        LocalChecks.require(name, objective, global, plan);
        Trained t = run(objective, global.values(), plan, options(plan.params()), 0);
        return new LocalResult(t.delta(global.spec(), global.values()), objective.numSamples(),
                Map.of("train_loss", t.meanLoss()), state);
    }

    /** What {@link #run} leaves: the final weights, a snapshot taken before the last steps, the mean loss. */
    record Trained(float[] weights, float[] snapshot, double meanLoss) {

        /** {@code weights - from} as tensors of {@code spec}. */
        Tensors delta(ModelSpec spec, float[] from) {
            float[] d = new float[from.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = weights[i] - from[i];
            }
            return new Tensors(spec, d);
        }
    }

    /**
     * Runs the plan's steps from {@code start} (not changed) and also returns the weights as they were
     * {@code lastSteps} steps before the end (the same array as the weights when 0).
     */
    static Trained run(Objective objective, float[] start, TrainingPlan plan, Options o, long lastSteps) {
        Backend b = objective.backend();
        int n = objective.numSamples();
        long steps = MinibatchSchedule.steps(plan, n);
        MinibatchSchedule schedule = new MinibatchSchedule(n, plan.batchSize(), plan.seed());
        double lr = plan.learningRate();
        float[] w = start.clone();
        float[] snapshot = lastSteps == 0 ? w : null;
        float[] m = new float[w.length];
        float[] v = new float[w.length];
        float[] g = new float[w.length];
        double lossSum = 0;
        try (FloatArray wOnBackend = b.upload(w); FloatArray gOnBackend = b.allocate(w.length)) {
            for (long s = 0; s < steps; s++) {
                if (s == steps - lastSteps) {
                    snapshot = w.clone();
                }
                lossSum += objective.lossAndGradient(wOnBackend, schedule.next(), gOnBackend);
                SgdOptions.clipToNorm(b, gOnBackend, o.gradientClipNorm());
                gOnBackend.copyToHost(0, g, 0, g.length);
                adamWStep(o, lr, s + 1, w, m, v, g);
                wOnBackend.copyFromHost(w);
            }
        }
        return new Trained(w, snapshot, lossSum / steps);
    }

    private static void adamWStep(Options o, double lr, long t, float[] w, float[] m, float[] v, float[] g) {
        double correction1 = 1 - Math.pow(o.beta1(), t);
        double correction2 = 1 - Math.pow(o.beta2(), t);
        double decay = 1 - lr * o.weightDecay();
        for (int i = 0; i < w.length; i++) {
            double mi = o.beta1() * m[i] + (1 - o.beta1()) * g[i];
            double vi = o.beta2() * v[i] + (1 - o.beta2()) * g[i] * (double) g[i];
            m[i] = (float) mi;
            v[i] = (float) vi;
            w[i] = (float) (w[i] * decay - lr * (mi / correction1) / (Math.sqrt(vi / correction2) + o.epsilon()));
        }
    }
}
