package dev.hansa.aggregation.strategy.diff2;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.ClientOptimizer;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.Objective;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.strategy.local.LocalChecks;
import dev.hansa.aggregation.strategy.local.LocalGradient;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * DIFF2's client (Murata and Suzuki, ICML 2023; docs/algorithms.md "DIFF2"): no local steps, one full local
 * gradient per round over all of its samples, computed in chunks of the plan's {@code batchSize}. Two roles:
 * <ul>
 * <li><b>gradient</b> (restart rounds): uploads {@code grad f_i(x_{r-1})}, the gradient at the round's model.</li>
 * <li><b>difference</b>: uploads {@code grad f_i(x_{r-1}) - grad f_i(x_{r-2})} on the same samples, x_{r-2} being the
 * round's broadcast (the model the previous round started from).</li>
 * </ul>
 * The update is a gradient, not a model delta: the server steps against it. {@code train_loss} is the mean loss at
 * x_{r-1}. Clipping (DP) is the update pipeline's, to the clip the plan carries. Keeps no state.
 */
public final class Diff2Client implements ClientOptimizer {

    public static final String NAME = "diff2";
    public static final String GRADIENT = "gradient";
    public static final String DIFFERENCE = "difference";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LocalResult train(Objective objective, Tensors global, TrainingPlan plan, Optional<Tensors> broadcast,
                             State state) {
        LocalChecks.require(NAME, objective, global, plan);
        Optional<Tensors> previous = switch (plan.role()) {
            case GRADIENT -> Optional.empty();
            case DIFFERENCE -> Optional.of(previousModel(global, broadcast));
            default -> throw new IllegalArgumentException("diff2: plan.role must be " + GRADIENT + " or " + DIFFERENCE
                    + ", got " + plan.role());
        };
        int n = objective.numSamples();
        int[] rows = IntStream.range(0, n).toArray();
        Backend b = objective.backend();
        double loss;
        float[] update;
        try (FloatArray x = b.upload(global.values()); FloatArray g = b.allocate(x.length())) {
            loss = LocalGradient.mean(objective, x, rows, plan.batchSize(), g);
            if (previous.isPresent()) {
                try (FloatArray xPrevious = b.upload(previous.get().values());
                     FloatArray gPrevious = b.allocate(x.length())) {
                    LocalGradient.mean(objective, xPrevious, rows, plan.batchSize(), gPrevious);
                    b.axpy(-1f, gPrevious, g);
                }
            }
            update = g.toHost();
        }
        return new LocalResult(new Tensors(global.spec(), update), n, Map.of("train_loss", loss), state);
    }

    private static Tensors previousModel(Tensors global, Optional<Tensors> broadcast) {
        Tensors previous = broadcast.orElseThrow(() -> new IllegalArgumentException(
                "diff2: a difference round needs the round's broadcast (the previous model)"));
        if (!previous.spec().equals(global.spec())) {
            throw new IllegalArgumentException("diff2: the broadcast has spec " + previous.spec()
                    + ", the model has " + global.spec());
        }
        return previous;
    }
}
