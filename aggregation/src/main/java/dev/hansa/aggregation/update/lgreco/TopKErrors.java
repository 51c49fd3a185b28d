package dev.hansa.aggregation.update.lgreco;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.LargestMagnitudes;
import dev.hansa.aggregation.update.codec.TopKCodec;
import java.util.Arrays;

/**
 * L-GreCo's two measures for {@code topk} with a per-tensor density (COMPRESSION_MORE.md §1.2 and §1.4): the error
 * of an option on tensor l is the unsquared Euclidean norm of what top-k drops, {@code ||M_l - topk(M_l)||_2}, on the
 * error-feedback-corrected update M (the codec's input); its size is ALGORITHMS.md §5.1's payload model for top-k,
 * {@code k (32 + ceil(log2 d_l))} bits.
 */
public final class TopKErrors {

    private TopKErrors() {
    }

    /** The fraction of option j on a uniform density {@code k}: {@code k} times the grid's factor. */
    public static double fraction(double k, LGreCoSettings settings, int j) {
        return k * settings.factors()[j];
    }

    /** {@code errors[l][j]}: tensor l's top-k error at option j of the grid on {@code update.k = k}. */
    public static double[][] of(Tensors update, double k, LGreCoSettings settings) {
        ModelSpec spec = update.spec();
        float[] v = update.values();
        double[][] errors = new double[spec.tensors().size()][settings.options()];
        for (int l = 0; l < errors.length; l++) {
            TensorSpec tensor = spec.tensors().get(l);
            int offset = spec.offset(l);
            float[] m = Arrays.copyOfRange(v, offset, offset + tensor.elementCount());
            for (int j = 0; j < settings.options() && m.length > 0; j++) {
                errors[l][j] = dropped(m, TopKCodec.kept(fraction(k, settings, j), m.length));
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
    public static long[][] sizes(ModelSpec spec, double k, LGreCoSettings settings) {
        long[][] sizes = new long[spec.tensors().size()][settings.options()];
        for (int l = 0; l < sizes.length; l++) {
            int d = spec.tensors().get(l).elementCount();
            int indexBits = d <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(d - 1);
            for (int j = 0; j < settings.options() && d > 0; j++) {
                sizes[l][j] = (long) TopKCodec.kept(fraction(k, settings, j), d) * (32 + indexBits);
            }
        }
        return sizes;
    }
}
