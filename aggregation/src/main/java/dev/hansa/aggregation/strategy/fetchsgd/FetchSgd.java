package dev.hansa.aggregation.strategy.fetchsgd;

import dev.hansa.aggregation.aggregate.GroupAggregate;
import dev.hansa.aggregation.aggregate.RoundAggregate;
import dev.hansa.aggregation.aggregate.UpdateWeighting;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.CheckedClientOptimizer;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundPlan;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.UpdateSpec;
import dev.hansa.aggregation.update.codec.CountSketch;
import dev.hansa.aggregation.update.codec.FetchSgdCodec;
import dev.hansa.aggregation.update.codec.SparseSize;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * FetchSGD (Rothchild, Panda, Ullah, Ivkin, Stoica, Braverman, Gonzalez, Arora, "FetchSGD: Communication-Efficient
 * Federated Learning with Sketching", ICML 2020), as its code runs it with {@code --mode sketch --error_type virtual}
 * ({@code kiddyboots216/CommEfficient} @ 833ca44, {@code fed_aggregator.py}, {@code _server_helper_sketched}).
 * Clients train locally as in FedAvg and send the count sketch of their update ({@link FetchSgdCodec}: the table,
 * the same hashes for everyone); the round's aggregate is the weighted mean table S, and the server, with momentum
 * rho and learning rate eta, runs in sketch space:
 * <pre>
 *   S_u = rho S_u + S                   momentum
 *   S_e = S_e + S_u                     error accumulation
 *   D   = the k heavy hitters of S_e    unsketch: median estimates, the k largest
 *   x   = x + eta D
 *   where S(D) != 0: S_u = 0, and S_e = 0 (errorReset zero, the code's) or S_e = S_e - S(D) (subtract, the paper's)
 * </pre>
 * S_u and S_e are float32 tables in the state ({@value #MOMENTUM}, {@value #ERROR}), each rounded once per round
 * before it is read. Hansa's update is {@code x_local - x_global}, so D is added; the code subtracts its gradient's.
 */
public final class FetchSgd implements Strategy {

    public static final String NAME = "fetchsgd";
    /** The one role its participants have. */
    public static final String TRAIN = "train";
    /** State: the momentum table S_u. */
    public static final String MOMENTUM = "sketchMomentum";
    /** State: the error table S_e. */
    public static final String ERROR = "sketchError";
    /** Default heavy hitters per round: 1% of the model. */
    public static final double K = 0.01;
    /** Default server momentum rho: 0.9, the paper's. */
    public static final double MOMENTUM_DEFAULT = 0.9;
    /** The {@code update} section a federation of this strategy gets where its config names no codec. */
    public static final Map<String, Object> UPDATE = Map.of("codec", FetchSgdCodec.NAME);

    /** What happens to the error table's cells that the applied update's sketch touches. */
    public enum ErrorReset {
        /** Zeroed, as the code does (its comment: subtracting "should work but doesn't (model diverges)"). */
        ZERO,
        /** S(D) subtracted, as the paper's Algorithm 1 writes it. */
        SUBTRACT;

        public static List<String> names() {
            return List.of("zero", "subtract");
        }

        public static ErrorReset of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    private final CheckedClientOptimizer local;
    private final TrainingConfig training;
    private final SparseSize k;
    private final double momentum;
    private final double learningRate;
    private final ErrorReset reset;
    private final UpdateWeighting weighting;
    /** The sketch of the federation's codec; null until {@link #forUpdate} binds it. */
    private final CountSketch sketch;

    /**
     * @param k            heavy hitters unsketched per round ({@code strategy.params.k})
     * @param momentum     rho in [0, 1)
     * @param learningRate eta > 0
     * @throws IllegalArgumentException naming the field of a value out of range
     */
    public FetchSgd(CheckedClientOptimizer local, TrainingConfig training, SparseSize k, double momentum,
                    double learningRate, ErrorReset reset, UpdateWeighting weighting) {
        this(local, training, k, momentum, learningRate, reset, weighting, null);
    }

    private FetchSgd(CheckedClientOptimizer local, TrainingConfig training, SparseSize k, double momentum,
                     double learningRate, ErrorReset reset, UpdateWeighting weighting, CountSketch sketch) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("strategy.params.serverMomentum must be in [0, 1), got " + momentum);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("strategy.params.serverLearningRate must be finite and > 0, got "
                    + learningRate);
        }
        local.check(training.paramsWith(local.name(), Map.of()));
        this.local = local;
        this.training = training;
        this.k = k;
        this.momentum = momentum;
        this.learningRate = learningRate;
        this.reset = reset;
        this.weighting = weighting;
        this.sketch = sketch;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Binds the sketch of {@code update}'s codec, which must be {@code fetchsgd}. */
    @Override
    public Strategy forUpdate(UpdateSpec update) {
        if (!(update.createCodec() instanceof FetchSgdCodec codec)) {
            throw new IllegalArgumentException("update.codec: strategy fetchsgd merges count sketches, so its clients "
                    + "send codec fetchsgd (leave update.codec out for it), not " + update.codec());
        }
        return new FetchSgd(local, training, k, momentum, learningRate, reset, weighting, codec.sketch());
    }

    @Override
    public State initialState(Tensors model) {
        ModelSpec table = tableSpec();
        return new State(Map.of(MOMENTUM, Tensors.zeros(table), ERROR, Tensors.zeros(table)), Map.of());
    }

    @Override
    public RoundPlan planRound(RoundContext round, List<String> participants, Tensors model, State state) {
        return new RoundPlan(training.plans(participants, NAME, TRAIN, training.learningRate(), round.seed(),
                Map.of()), Optional.empty());
    }

    @Override
    public UpdateWeighting weighting() {
        return weighting;
    }

    /** No: the server unsketches the exact sum of the tables. */
    @Override
    public boolean acceptsRobustAggregation() {
        return false;
    }

    @Override
    public RoundResult finishRound(RoundContext round, Tensors model, State state, RoundAggregate aggregate) {
        Optional<GroupAggregate> trained = aggregate.role(TRAIN);
        if (trained.isEmpty()) {
            return new RoundResult(model, state, Map.of("clients", 0.0));
        }
        ModelSpec table = tableSpec();
        double[] s = trained.get().mean();
        float[] u = state.require(MOMENTUM, table).clone();
        float[] e = state.require(ERROR, table).clone();
        for (int j = 0; j < s.length; j++) {
            u[j] = (float) (momentum * u[j] + s[j]);
            e[j] = (float) ((double) e[j] + u[j]);
        }
        int d = model.spec().parameterCount();
        float[] delta = sketch.heavyHitters(e, d, k.of(d));
        float[] x = model.values().clone();
        double[] applied = new double[d];
        for (int i = 0; i < d; i++) {
            x[i] = (float) (x[i] + learningRate * delta[i]);
            applied[i] = delta[i];
        }
        Tensors next = new Tensors(model.spec(), x);
        if (next.firstNonFinite() >= 0) {
            // The round fails on a model that is not finite (RoundProtocol.finish); the sketch refuses it.
            return new RoundResult(next, state, trained.get().metrics(applied));
        }
        double[] sketched = sketch.sketch(delta);
        for (int j = 0; j < sketched.length; j++) {
            if (sketched[j] != 0) {
                u[j] = 0;
                e[j] = reset == ErrorReset.ZERO ? 0 : (float) (e[j] - sketched[j]);
            }
        }
        return new RoundResult(next, new State(Map.of(MOMENTUM, new Tensors(table, u), ERROR, new Tensors(table, e)),
                state.scalars()), trained.get().metrics(applied));
    }

    private ModelSpec tableSpec() {
        if (sketch == null) {
            throw new IllegalStateException("strategy fetchsgd runs on its codec's sketch: bind it with forUpdate");
        }
        return FetchSgdCodec.tableSpec(sketch);
    }
}
