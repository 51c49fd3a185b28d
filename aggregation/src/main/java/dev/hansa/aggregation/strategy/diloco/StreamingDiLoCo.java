package dev.hansa.aggregation.strategy.diloco;

import dev.hansa.aggregation.aggregate.GroupAggregate;
import dev.hansa.aggregation.aggregate.RoundAggregate;
import dev.hansa.aggregation.aggregate.UpdateWeighting;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundPlan;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.fedopt.FedAvgM;
import dev.hansa.aggregation.strategy.fedopt.ServerOptimizer;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Streaming DiLoCo (Douillard et al., "Streaming DiLoCo with overlapping communication", arXiv 2501.18512) in
 * Hansa's rounds. The model's layers are dealt into P {@link Fragments}; round t synchronises fragment
 * p = (t - 1) mod P only: the round's updates carry that fragment's tensors alone ({@code update.tensors}), and the
 * server applies DiLoCo's outer Nesterov step ({@link FedAvgM} with Nesterov, on that fragment's entries and its
 * momentum only) to their mean. A round is H/P inner steps ({@code training.localSteps}), so each fragment is
 * synchronised every H inner steps and one fragment starts every H/P, the paper's staggered schedule; the clients
 * keep their own weights and mix the synchronised fragments in with weight {@code mixing} (alpha) and train
 * {@code overlapSteps} (tau) steps past what they send ({@link StreamingDiLoCoClient}). The paper's exchange is
 * quantised to 4-bit floats; here the federation's {@code update.codec} quantises what is sent.
 */
public final class StreamingDiLoCo implements Strategy {

    public static final String NAME = "streamingdiloco";
    public static final String FRAGMENTS = "fragments";
    public static final String MIXING = "mixing";
    public static final String OVERLAP_STEPS = "overlapSteps";
    /** Plan param: the round's number, from which a client knows which fragments were synchronised since its last. */
    public static final String ROUND = "round";
    public static final int MAX_FRAGMENTS = 1024;
    /** The one role its participants have. */
    public static final String TRAIN = "train";

    private final TrainingConfig training;
    private final int fragments;
    private final double mixing;
    private final int overlapSteps;
    private final FedAvgM outer;
    private final UpdateWeighting weighting;

    /**
     * @param fragments    P >= 1, capped at the model's layers
     * @param mixing       alpha in [0, 1], the weight of the client's own weights when a fragment is merged
     * @param overlapSteps tau >= 0 inner steps between a fragment's snapshot and the end of the round; fewer than
     *                     {@code training.localSteps}
     * @param outer        the outer optimizer (Nesterov momentum)
     * @throws IllegalArgumentException naming the field of a value out of range
     */
    public StreamingDiLoCo(TrainingConfig training, int fragments, double mixing, int overlapSteps, FedAvgM outer,
                           UpdateWeighting weighting) {
        if (overlapSteps > 0 && (training.localSteps() == 0 || overlapSteps >= training.localSteps())) {
            throw new IllegalArgumentException("strategy.params." + OVERLAP_STEPS + " (" + overlapSteps
                    + ") must be fewer than training.localSteps (" + training.localSteps() + ")");
        }
        this.training = training;
        this.fragments = fragments;
        this.mixing = mixing;
        this.overlapSteps = overlapSteps;
        this.outer = outer;
        this.weighting = weighting;
        StreamingDiLoCoClient.options(training.paramsWith(NAME, clientParams(1)));
    }

    private Map<String, Double> clientParams(long round) {
        return Map.of(FRAGMENTS, (double) fragments, MIXING, mixing, OVERLAP_STEPS, (double) overlapSteps,
                ROUND, (double) round);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public State initialState(Tensors model) {
        return outer.initialState(model);
    }

    @Override
    public RoundPlan planRound(RoundContext round, List<String> participants, Tensors model, State state) {
        Fragments f = new Fragments(model.spec(), fragments);
        return new RoundPlan(training.plans(participants, NAME, TRAIN, training.learningRate(), round.seed(),
                clientParams(round.round())), Optional.empty(), f.tensors(f.ofRound(round.round())));
    }

    @Override
    public UpdateWeighting weighting() {
        return weighting;
    }

    @Override
    public boolean acceptsRobustAggregation() {
        return true;
    }

    @Override
    public RoundResult finishRound(RoundContext round, Tensors model, State state, RoundAggregate aggregate) {
        Optional<GroupAggregate> trained = aggregate.role(TRAIN);
        if (trained.isEmpty()) {
            return new RoundResult(model, state, Map.of("clients", 0.0));
        }
        double[] delta = trained.get().mean();
        Fragments f = new Fragments(model.spec(), fragments);
        ModelSpec synced = model.spec().select(f.tensors(f.ofRound(round.round())));
        Tensors velocity = state.tensor(FedAvgM.VELOCITY).orElseThrow(() -> new IllegalArgumentException(
                "state lacks tensor '" + FedAvgM.VELOCITY + "'; was it created by " + NAME + "'s initialState?"));
        ServerOptimizer.Step step = outer.step(model.select(synced), select(delta, model.spec(), synced),
                new State(Map.of(FedAvgM.VELOCITY, velocity.select(synced)), Map.of()));
        State next = new State(Map.of(FedAvgM.VELOCITY,
                velocity.replaced(step.state().tensor(FedAvgM.VELOCITY).orElseThrow())), state.scalars());
        return new RoundResult(model.replaced(step.model()), next, trained.get().metrics(delta));
    }

    /** The entries of {@code values} (laid out as {@code spec}) that belong to {@code part}'s tensors. */
    private static double[] select(double[] values, ModelSpec spec, ModelSpec part) {
        double[] selected = new double[part.parameterCount()];
        for (int i = 0; i < part.tensors().size(); i++) {
            String name = part.tensors().get(i).name();
            System.arraycopy(values, spec.offset(name), selected, part.offset(i), part.tensor(name).elementCount());
        }
        return selected;
    }
}
