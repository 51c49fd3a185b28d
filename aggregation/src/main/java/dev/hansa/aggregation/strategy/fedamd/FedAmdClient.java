package dev.hansa.aggregation.strategy.fedamd;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.random.Draws;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.ClientOptimizer;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.Objective;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.strategy.local.LocalChecks;
import dev.hansa.aggregation.strategy.local.LocalGradient;
import dev.hansa.aggregation.strategy.local.MinibatchSchedule;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * FedAMD's client (Wu et al., ICML 2023, "Anchor Sampling for Federated Learning with Partial Client
 * Participation"; official code HarliWu/FedAMD {@code algo/fedamd.py}). Two roles:
 * <ul>
 * <li><b>anchor</b>: the gradient at x_t over the large batch (all local samples, or {@code anchorBatchSize} of
 * them drawn with the plan's seed), computed in chunks of {@code batchSize}. The client keeps it as {@value #G} in
 * its state and uploads the change {@code g_new - g_old} ({@code g_old = 0} at its first report, flagged by the
 * metric {@value #FIRST_REPORT} = 1), so the server keeps only the sum over clients.</li>
 * <li><b>miner</b>: K recursive variance-reduced steps from y_0 = x_t with d_0 = v, the round's bullseye
 * (the plan's broadcast): {@code d_k = d_{k-1} - grad f(y_{k-1}; B_k) + grad f(y_k; B_k)} (both on the same
 * minibatch), {@code y_{k+1} = y_k - lr d_k}; upload {@code y_K - x_t}.</li>
 * </ul>
 * {@code train_loss}: the anchor's large-batch loss, or the miner's mean minibatch loss at y_k.
 */
public final class FedAmdClient implements ClientOptimizer {

    public static final String NAME = "fedamd";
    public static final String ANCHOR = "anchor";
    public static final String MINER = "miner";
    /** Client state tensor: the gradient of this client's last anchor report. */
    public static final String G = "g";
    /** Anchor metric: 1 when the client reports an anchor gradient for the first time. */
    public static final String FIRST_REPORT = "anchor_first";
    /** Plan param: size of the anchor's large batch; 0 means all local samples. */
    public static final String ANCHOR_BATCH_SIZE = "anchorBatchSize";

    @Override
    public String name() {
        return NAME;
    }

    static int anchorBatchSize(Map<String, Double> params) {
        Hyperparameters h = new Hyperparameters("training.params", NAME, params);
        int size = (int) h.integer(ANCHOR_BATCH_SIZE, 0, 0, Integer.MAX_VALUE);
        h.done();
        return size;
    }

    @Override
    public LocalResult train(Objective objective, Tensors global, TrainingPlan plan,
                             Optional<Tensors> broadcast, State state) {
        LocalChecks.require(NAME, objective, global, plan);
        int anchorBatch = anchorBatchSize(plan.params());
        return switch (plan.role()) {
            case ANCHOR -> anchor(objective, global, plan, anchorBatch, state);
            case MINER -> miner(objective, global, plan, broadcast.orElseThrow(() -> new IllegalArgumentException(
                    "fedamd: a miner needs the round's broadcast (the bullseye v)")), state);
            default -> throw new IllegalArgumentException("fedamd: plan.role must be anchor or miner, got " + plan.role());
        };
    }

    private LocalResult anchor(Objective objective, Tensors global, TrainingPlan plan, int anchorBatch,
                               State state) {
        int n = objective.numSamples();
        int[] rows = largeBatch(n, anchorBatch, plan.seed());
        Backend b = objective.backend();
        double loss;
        float[] gradient;
        try (FloatArray x = b.upload(global.values()); FloatArray sum = b.allocate(x.length())) {
            loss = LocalGradient.mean(objective, x, rows, plan.batchSize(), sum);
            gradient = sum.toHost();
        }
        Optional<Tensors> previous = state.tensor(G);
        float[] old = previous.isPresent() ? state.require(G, global.spec()) : new float[gradient.length];
        float[] change = new float[gradient.length];
        for (int i = 0; i < change.length; i++) {
            change[i] = gradient[i] - old[i];
        }
        State next = new State(Map.of(G, new Tensors(global.spec(), gradient)), state.scalars());
        return new LocalResult(new Tensors(global.spec(), change), n,
                Map.of("train_loss", loss, FIRST_REPORT, previous.isPresent() ? 0.0 : 1.0), next);
    }

    private static int[] largeBatch(int n, int size, long seed) {
        return size == 0 || size >= n ? IntStream.range(0, n).toArray() : Draws.distinctSorted(n, size, seed);
    }

    private LocalResult miner(Objective objective, Tensors global, TrainingPlan plan, Tensors bullseye,
                              State state) {
        if (!bullseye.spec().equals(global.spec())) {
            throw new IllegalArgumentException("fedamd: the broadcast has spec " + bullseye.spec()
                    + ", the model has " + global.spec());
        }
        int n = objective.numSamples();
        long steps = MinibatchSchedule.steps(plan, n);
        MinibatchSchedule schedule = new MinibatchSchedule(n, plan.batchSize(), plan.seed());
        Backend b = objective.backend();
        float lr = (float) plan.learningRate();
        try (FloatArray y = b.upload(global.values()); FloatArray yPrev = b.allocate(y.length());
             FloatArray d = b.upload(bullseye.values()); FloatArray gCur = b.allocate(y.length());
             FloatArray gPrev = b.allocate(y.length())) {
            double lossSum = 0;
            for (long k = 0; k < steps; k++) {
                int[] batch = schedule.next();
                lossSum += objective.lossAndGradient(y, batch, gCur);
                if (k > 0) {
                    // At k = 0, y_prev = y and the two gradients cancel: d_0 = v exactly.
                    objective.lossAndGradient(yPrev, batch, gPrev);
                    b.axpy(-1f, gPrev, d);
                    b.axpy(1f, gCur, d);
                }
                b.copy(y, yPrev);
                b.axpy(-lr, d, y);
            }
            float[] local = y.toHost();
            float[] x = global.values();
            float[] delta = new float[local.length];
            for (int i = 0; i < delta.length; i++) {
                delta[i] = local[i] - x[i];
            }
            return new LocalResult(new Tensors(global.spec(), delta), n, Map.of("train_loss", lossSum / steps),
                    state);
        }
    }
}
