package dev.hansa.aggregation.update.lgreco;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.QsgdCodec;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import java.util.Map;

/**
 * {@code qsgd}'s knob, the levels s of each tensor: the paper's per-layer bit width with buckets (COMPRESSION_MORE.md
 * §1.4, payload model of ALGORITHMS.md §5.1).
 *
 * <ul>
 *   <li><b>Options.</b> A code of s levels takes {@code b = bits(2s)} bits ({@link QsgdCodec#width}), so the grid is
 *   in bits: option j has width {@code b_u + j - m} (m the middle option, {@code b_u} the uniform levels' width) and
 *   the most levels that width holds, {@code 2^(b-1) - 1} (fewer would cost the same bits for more error), clamped
 *   to [1, 32767]; the middle option is the uniform levels themselves.</li>
 *   <li><b>Size</b> of tensor l at s levels: {@code d_l bits(2s) + 32 ceil(d_l / bucket)} bits, codes and norms
 *   as the frame packs them.</li>
 *   <li><b>Error.</b> QSGD rounds at random, so the measure is the root of the expected squared error,
 *   {@code e_l = sqrt(E||Q(M_l) - M_l||^2)}, in closed form per bucket ({@link QsgdCodec#expectedSquaredError}):
 *   no draw, the same on client and reference, and by Jensen an upper bound on {@code E||Q(M_l) - M_l||}.</li>
 * </ul>
 */
public final class QsgdKnob implements LGreCoKnob {

    private final int levels;
    private final int bucket;
    private final double[] options;

    public QsgdKnob(int levels, int bucket, LGreCoSettings settings) {
        this.levels = levels;
        this.bucket = bucket;
        this.options = new double[settings.options()];
        int middle = settings.uniform();
        for (int j = 0; j < options.length; j++) {
            int width = QsgdCodec.width(levels) + j - middle;
            long most = width < 2 ? 1 : (1L << Math.min(width - 1, 31)) - 1;
            options[j] = j == middle ? levels : Math.clamp(most, 1, QsgdCodec.MAX_LEVELS);
        }
    }

    @Override
    public double[] options() {
        return options.clone();
    }

    @Override
    public long[][] sizes(ModelSpec spec) {
        long[][] sizes = new long[spec.tensors().size()][options.length];
        for (int l = 0; l < sizes.length; l++) {
            long d = spec.tensors().get(l).elementCount();
            for (int j = 0; j < options.length; j++) {
                sizes[l][j] = d * QsgdCodec.width((int) options[j]) + 32 * ((d + bucket - 1) / bucket);
            }
        }
        return sizes;
    }

    @Override
    public double[][] errors(Tensors update) {
        ModelSpec spec = update.spec();
        float[] v = update.values();
        double[][] errors = new double[spec.tensors().size()][options.length];
        for (int l = 0; l < errors.length; l++) {
            int offset = spec.offset(l);
            int end = offset + spec.tensors().get(l).elementCount();
            for (int j = 0; j < options.length; j++) {
                double squares = 0;
                for (int from = offset; from < end; from = (int) Math.min(end, (long) from + bucket)) {
                    squares += QsgdCodec.expectedSquaredError(v, from, (int) Math.min(end, (long) from + bucket),
                            (int) options[j]);
                }
                errors[l][j] = Math.sqrt(squares);
            }
        }
        return errors;
    }

    @Override
    public UpdateCodec codec(Map<String, Double> plan) {
        return QsgdCodec.perTensor(levels, bucket, WholeCounts.of(plan, "qsgd's levels"));
    }
}
