package dev.hansa.aggregation.strategy.fedavg;

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
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Minibatch SGD from the global model (McMahan et al. 2017, Update), the client half of FedAvg and of the
 * server-optimizer variants, and with {@code mu > 0} of FedProx (Li et al., MLSys 2020). One step on minibatch b:
 * <pre>
 *   g = clip_C(grad f(w; b)) + mu (w - w0) + wd w        (C = gradientClipNorm; 0 = no clipping)
 *   buf = g at the first step, else momentum * buf + g   (only when momentum > 0; reset every round)
 *   w  = w - lr * (momentum > 0 ? buf : g)
 * </pre>
 * Upload {@code w - w0}; {@code train_loss} is the mean minibatch loss over the steps (each at the pre-step
 * weights). All vector math runs on the model's backend, so parameters stay on a GPU for the whole round.
 *
 * <p>With {@code workerMomentum = beta > 0} instead of {@code momentum}, the direction is worker momentum, the
 * exponential average {@code m = beta m + (1 - beta) g} that is not reset between rounds but kept in the client's
 * state ({@value #WORKER_MOMENTUM_STATE}; zero before the client's first round), as the honest workers of ByzFL's
 * benchmark and of Karimireddy, He and Jaggi ("Learning from History for Byzantine Robust Optimization", ICML 2021)
 * compute it: averaging over rounds shrinks the honest updates' variance, which robust aggregators need.
 */
public final class LocalSgd implements CheckedClientOptimizer {

    /** FedProx's proximal coefficient in the plan params. */
    public static final String MU = "mu";
    /** Client state tensor: the worker momentum after the client's last counted round. */
    public static final String WORKER_MOMENTUM_STATE = "workerMomentum";

    private final String name;
    private final boolean proximal;

    private LocalSgd(String name, boolean proximal) {
        this.name = name;
        this.proximal = proximal;
    }

    /** Plain local SGD; used by fedavg and the server-optimizer strategies under their own names. */
    public static LocalSgd plain(String name) {
        return new LocalSgd(name, false);
    }

    /** FedProx: local SGD with the proximal term {@code mu/2 ||w - w0||^2}. */
    public static LocalSgd fedProx(String name) {
        return new LocalSgd(name, true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void check(Map<String, Double> params) {
        options(params);
    }

    /** Validates plan params this procedure understands; used by the strategy at creation and here per plan. */
    record Options(SgdOptions sgd, double mu, double workerMomentum) {
    }

    Options options(Map<String, Double> params) {
        Hyperparameters h = new Hyperparameters("training.params", name, params);
        SgdOptions sgd = SgdOptions.read(h, 0, 0);
        double mu = proximal ? h.real(MU, 0, 0, true, Double.POSITIVE_INFINITY, false) : 0;
        double workerMomentum = h.real(TrainingConfig.WORKER_MOMENTUM, 0, 0, true, 1, false);
        h.done();
        if (workerMomentum > 0 && sgd.momentum() > 0) {
            throw new IllegalArgumentException(h.field(TrainingConfig.WORKER_MOMENTUM) + " and "
                    + h.field(TrainingConfig.MOMENTUM) + " are two kinds of momentum; set one of them");
        }
        return new Options(sgd, mu, workerMomentum);
    }

    /** The client's worker momentum from its state, zero before its first counted round, on the backend. */
    private static FloatArray workerMomentum(Backend b, State state, Tensors global) {
        return state.tensor(WORKER_MOMENTUM_STATE).isPresent()
                ? b.upload(state.require(WORKER_MOMENTUM_STATE, global.spec())) : zeros(b, global.values().length);
    }

    private static FloatArray zeros(Backend b, int length) {
        FloatArray a = b.allocate(length);
        b.fill(a, 0f);
        return a;
    }

    private static Map<String, Tensors> withTensor(State state, Tensors momentum) {
        Map<String, Tensors> tensors = new HashMap<>(state.tensors());
        tensors.put(WORKER_MOMENTUM_STATE, momentum);
        return tensors;
    }

    @Override
    public LocalResult train(Objective objective, Tensors global, TrainingPlan plan,
                             Optional<Tensors> broadcast, State state) {
        LocalChecks.require(name, objective, global, plan);
        Options o = options(plan.params());
        Backend b = objective.backend();
        int n = objective.numSamples();
        long steps = MinibatchSchedule.steps(plan, n);
        MinibatchSchedule schedule = new MinibatchSchedule(n, plan.batchSize(), plan.seed());
        float lr = (float) plan.learningRate();
        boolean heavyBall = o.sgd().momentum() > 0;
        double beta = o.workerMomentum();
        try (FloatArray w = b.upload(global.values()); FloatArray w0 = b.upload(global.values());
             FloatArray g = b.allocate(w.length());
             FloatArray buf = heavyBall ? b.allocate(w.length()) : beta > 0 ? workerMomentum(b, state, global) : null) {
            double lossSum = 0;
            for (long s = 0; s < steps; s++) {
                lossSum += objective.lossAndGradient(w, schedule.next(), g);
                o.sgd().clip(b, g);
                if (o.mu() > 0) {
                    b.axpy((float) o.mu(), w, g);
                    b.axpy((float) -o.mu(), w0, g);
                }
                if (o.sgd().weightDecay() > 0) {
                    b.axpy((float) o.sgd().weightDecay(), w, g);
                }
                FloatArray direction = g;
                if (heavyBall) {
                    if (s > 0) {
                        b.scal((float) o.sgd().momentum(), buf);
                        b.axpy(1f, g, buf);
                    } else {
                        b.copy(g, buf);
                    }
                    direction = buf;
                } else if (beta > 0) {
                    b.scal((float) beta, buf);
                    b.axpy((float) (1 - beta), g, buf);
                    direction = buf;
                }
                b.axpy(-lr, direction, w);
            }
            b.axpy(-1f, w0, w);
            Tensors delta = new Tensors(global.spec(), w.toHost());
            State next = beta > 0 ? new State(withTensor(state, new Tensors(global.spec(), buf.toHost())),
                    state.scalars()) : state;
            return new LocalResult(delta, n, Map.of("train_loss", lossSum / steps), next);
        }
    }
}
