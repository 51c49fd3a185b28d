package dev.hansa.aggregation.update.lgreco;

import dev.hansa.aggregation.config.InvalidValueException;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.LargestMagnitudes;
import dev.hansa.aggregation.update.codec.TopKCodec;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code topk}'s knob, the density each tensor keeps (COMPRESSION_MORE.md §1.2 and §1.4): options {@code k} times
 * the grid's factors, from half to twice {@code update.k}; the error of an option on tensor l is the norm of what
 * top-k within the tensor drops, {@code ||M_l - topk(M_l)||_2}; its size is ALGORITHMS.md §5.1's payload model for
 * top-k, {@code k_l (32 + ceil(log2 d_l))} bits.
 */
public final class TopKKnob implements LGreCoKnob {

    /** The largest {@code update.k} the grid plans around: twice it must stay a fraction below 1. */
    public static final double MAX_K = 0.5;

    private final double k;
    private final double[] options;

    /**
     * @throws InvalidValueException naming {@code update.lgreco} unless k is a fraction in (0, {@value #MAX_K})
     */
    public TopKKnob(double k, LGreCoSettings settings) {
        if (!(k > 0 && k < MAX_K)) {
            throw new InvalidValueException(FIELD, FIELD + " plans topk's per-tensor density around a fraction"
                    + " update.k in (0, " + MAX_K + ") (its grid reaches twice update.k); got k " + k);
        }
        this.k = k;
        this.options = settings.factors();
        for (int j = 0; j < options.length; j++) {
            options[j] *= k;
        }
    }

    @Override
    public double[] options() {
        return options.clone();
    }

    @Override
    public double[][] errors(Tensors update) {
        ModelSpec spec = update.spec();
        float[] v = update.values();
        double[][] errors = new double[spec.tensors().size()][options.length];
        for (int l = 0; l < errors.length; l++) {
            TensorSpec tensor = spec.tensors().get(l);
            int offset = spec.offset(l);
            float[] m = Arrays.copyOfRange(v, offset, offset + tensor.elementCount());
            for (int j = 0; j < options.length && m.length > 0; j++) {
                errors[l][j] = dropped(m, TopKCodec.kept(options[j], m.length));
            }
        }
        return errors;
    }

    /** {@code ||m - topk(m)||_2}, summed in index order over the entries top-k drops. */
    static double dropped(float[] m, int kept) {
        boolean[] keep = new boolean[m.length];
        for (int i : LargestMagnitudes.indices(m, kept)) {
            keep[i] = true;
        }
        double sum = 0;
        for (int i = 0; i < m.length; i++) {
            if (!keep[i]) {
                sum += (double) m[i] * m[i];
            }
        }
        return Math.sqrt(sum);
    }

    /** {@code sizes[l][j]}: the payload bits of option j on tensor l, {@code k_l (32 + ceil(log2 d_l))}. */
    @Override
    public long[][] sizes(ModelSpec spec) {
        long[][] sizes = new long[spec.tensors().size()][options.length];
        for (int l = 0; l < sizes.length; l++) {
            int d = spec.tensors().get(l).elementCount();
            int indexBits = d <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(d - 1);
            for (int j = 0; j < options.length && d > 0; j++) {
                sizes[l][j] = (long) TopKCodec.kept(options[j], d) * (32 + indexBits);
            }
        }
        return sizes;
    }

    @Override
    public UpdateCodec codec(Map<String, Double> plan) {
        return TopKCodec.perTensor(k, plan);
    }
}
