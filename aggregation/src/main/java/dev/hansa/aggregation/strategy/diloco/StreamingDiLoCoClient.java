package dev.hansa.aggregation.strategy.diloco;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.CheckedClientOptimizer;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.Objective;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.strategy.local.LocalChecks;
import dev.hansa.aggregation.strategy.local.MinibatchSchedule;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The client half of Streaming DiLoCo ({@link StreamingDiLoCo}): a client keeps its own weights between rounds
 * (state {@value #LOCAL}, with the round it last trained in, {@value #LAST_ROUND}), as the paper's replicas do, and
 * in round t:
 * <ol>
 * <li>merges every fragment q the server synchronised since its last round r (rounds r..t-1) into its weights,
 *     {@code theta_q = alpha theta_q + (1 - alpha) x_q}, x being the round's global model ({@code mixing} = alpha,
 *     the paper's weight of the local weights); a client with no weights yet starts from x;</li>
 * <li>runs the plan's AdamW steps ({@link LocalAdamW});</li>
 * <li>uploads fragment p = (t - 1) mod P as {@code theta_p - x_p}, theta taken {@code overlapSteps} (tau) steps before
 *     the end: the paper's overlap, in which a replica sends its outer gradient and trains on for tau steps before
 *     the outer result comes back and is merged. The other fragments' entries are zero and not sent.</li>
 * </ol>
 */
public final class StreamingDiLoCoClient implements CheckedClientOptimizer {

    /** Client state: the client's own weights after its last counted round. */
    public static final String LOCAL = "localWeights";
    /** Client state scalar: the round those weights were trained in. */
    public static final String LAST_ROUND = "lastRound";

    /** The plan params this client reads, besides {@link LocalAdamW}'s. */
    record Options(int fragments, double mixing, int overlapSteps, long round, LocalAdamW.Options adamW) {
    }

    static Options options(Map<String, Double> params) {
        Hyperparameters h = new Hyperparameters("training.params", StreamingDiLoCo.NAME, params);
        Options o = new Options((int) h.integer(StreamingDiLoCo.FRAGMENTS, 1, 1, StreamingDiLoCo.MAX_FRAGMENTS),
                h.real(StreamingDiLoCo.MIXING, 0.5, 0, true, 1, true),
                (int) h.integer(StreamingDiLoCo.OVERLAP_STEPS, 0, 0, Integer.MAX_VALUE),
                h.integer(StreamingDiLoCo.ROUND, 1, 1, Long.MAX_VALUE), LocalAdamW.read(h));
        h.done();
        return o;
    }

    @Override
    public String name() {
        return StreamingDiLoCo.NAME;
    }

    @Override
    public void check(Map<String, Double> params) {
        options(params);
    }

    @Override
    public LocalResult train(Objective objective, Tensors global, TrainingPlan plan, Optional<Tensors> broadcast,
                             State state) {
        LocalChecks.require(StreamingDiLoCo.NAME, objective, global, plan);
        Options o = options(plan.params());
        if (o.overlapSteps() >= MinibatchSchedule.steps(plan, objective.numSamples())) {
            throw new IllegalArgumentException("training.params." + StreamingDiLoCo.OVERLAP_STEPS + " ("
                    + o.overlapSteps() + ") must be fewer than the round's local steps");
        }
        Fragments fragments = new Fragments(global.spec(), o.fragments());
        float[] start = state.tensor(LOCAL).isPresent()
                ? merged(state.require(LOCAL, global.spec()).clone(), (long) state.scalar(LAST_ROUND, 0), global,
                fragments, o)
                : global.values().clone();
        LocalAdamW.Trained trained = LocalAdamW.run(objective, start, plan, o.adamW(), o.overlapSteps());

        ModelSpec sent = global.spec().select(fragments.tensors(fragments.ofRound(o.round())));
        float[] snapshot = new Tensors(global.spec(), trained.snapshot()).select(sent).values();
        float[] from = global.select(sent).values();
        float[] delta = new float[snapshot.length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = snapshot[i] - from[i];
        }
        Map<String, Tensors> tensors = new HashMap<>(state.tensors());
        tensors.put(LOCAL, new Tensors(global.spec(), trained.weights()));
        Map<String, Double> scalars = new HashMap<>(state.scalars());
        scalars.put(LAST_ROUND, (double) o.round());
        return new LocalResult(Tensors.embed(global.spec(), new Tensors(sent, delta)), objective.numSamples(),
                Map.of("train_loss", trained.meanLoss()), new State(tensors, scalars));
    }

    /** {@code local} with each fragment synchronised in rounds {@code lastRound .. round - 1} mixed with x. */
    private static float[] merged(float[] local, long lastRound, Tensors global, Fragments fragments, Options o) {
        TreeSet<Integer> synced = new TreeSet<>();
        for (long r = Math.max(lastRound, o.round() - fragments.count()); r < o.round(); r++) {
            synced.add(fragments.ofRound(r));
        }
        float[] x = global.values();
        ModelSpec spec = global.spec();
        for (int f : synced) {
            for (String name : fragments.tensors(f)) {
                int offset = spec.offset(name);
                for (int i = offset; i < offset + spec.tensor(name).elementCount(); i++) {
                    local[i] = (float) (o.mixing() * local[i] + (1 - o.mixing()) * x[i]);
                }
            }
        }
        return local;
    }
}
