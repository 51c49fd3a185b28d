package dev.hansa.aggregation.update.lgreco;

import dev.hansa.aggregation.config.InvalidValueException;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.QsgdCodec;
import dev.hansa.aggregation.update.codec.SparseLoCoCodec;
import dev.hansa.aggregation.update.codec.TopKCodec;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import java.util.Map;

/**
 * A codec's knob that L-GreCo plans tensor by tensor (COMPRESSION_MORE.md §1): the grid of options around the
 * federation's own (uniform) setting, each option's payload size {@code s_l(j)} and compression error
 * {@code e_l(j)} on each tensor l, and the codec that runs a plan. One implementation per codec with a knob: topk's
 * density ({@link TopKKnob}), qsgd's levels ({@link QsgdKnob}), sparseloco's kept entries per chunk
 * ({@link SparseLoCoKnob}); {@link LGreCoPlanner} solves for every one of them.
 *
 * <p>An error is the unsquared Euclidean norm of what the codec changes in the tensor, {@code ||M_l - C(M_l)||_2},
 * on the update the codec is given (error feedback's corrected update), in double; sizes are bits.
 */
public interface LGreCoKnob {

    /** The config section a knob's refusal names. */
    String FIELD = "update.lgreco";

    /**
     * The knob of {@code codec} with the {@code update} section's size {@code k} and codec parameters
     * {@code params} (defaults filled in), planned on {@code settings}' grid.
     *
     * @throws InvalidValueException naming {@code update.lgreco} when the codec has no knob L-GreCo plans, or its
     *                               setting leaves the grid no room
     */
    static LGreCoKnob of(String codec, double k, Map<String, Double> params, LGreCoSettings settings) {
        return switch (codec) {
            case TopKCodec.NAME -> new TopKKnob(k, settings);
            case QsgdCodec.NAME -> new QsgdKnob(params.get("levels").intValue(), params.get("bucket").intValue(),
                    settings);
            case SparseLoCoCodec.NAME -> new SparseLoCoKnob(params.get("chunk").intValue(),
                    params.get("kPerChunk").intValue(), settings);
            default -> throw new InvalidValueException(FIELD, FIELD + " plans a codec's knob per tensor: topk's"
                    + " density, qsgd's levels or sparseloco's kPerChunk; " + codec + " has none");
        };
    }

    /**
     * The knob's value at each option of the grid, ascending; option {@link LGreCoSettings#uniform()} is the
     * federation's own setting, exactly.
     */
    double[] options();

    /** {@code sizes[l][j]}: the payload bits of option j on tensor l of a model of {@code spec}. */
    long[][] sizes(ModelSpec spec);

    /** {@code errors[l][j]}: the error of option j on tensor l of {@code update}. */
    double[][] errors(Tensors update);

    /**
     * The codec that gives each tensor {@code plan} names the knob value the plan holds for it (one of
     * {@link #options()}), and every other tensor the uniform one.
     *
     * @throws IllegalArgumentException naming {@code update.tensorKnob.<tensor>} for a value the codec cannot take
     */
    UpdateCodec codec(Map<String, Double> plan);
}
