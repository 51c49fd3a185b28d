package dev.hansa.aggregation.update.lgreco;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.SparseLoCoCodec;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import java.util.Map;

/**
 * {@code sparseloco}'s knob, the entries each tensor keeps per full chunk ({@code kPerChunk}, scaled to smaller
 * chunks as the codec scales it).
 *
 * <ul>
 *   <li><b>Options.</b> {@code rint(kPerChunk f_j)} for the grid's factors f_j (half to twice, as topk's density),
 *   clamped to [1, chunk^2]; the middle option is {@code kPerChunk} itself.</li>
 *   <li><b>Size</b> of tensor l: its part of the codec's payload, {@link SparseLoCoCodec#tensorBits} (the shift and
 *   table, 160 bits, and per kept entry its in-chunk index and 2-bit code), so the sizes of a plan sum to the
 *   payload the codec's {@code encodedSize} counts, up to the last byte's padding.</li>
 *   <li><b>Error.</b> The compressor is deterministic: {@code ||M_l - C(M_l)||_2} with C the codec itself (top-k per
 *   chunk, then the tensor's 2-bit quantiser), exactly what the server would decode.</li>
 * </ul>
 */
public final class SparseLoCoKnob implements LGreCoKnob {

    private final int chunk;
    private final int kPerChunk;
    private final double[] options;

    public SparseLoCoKnob(int chunk, int kPerChunk, LGreCoSettings settings) {
        this.chunk = chunk;
        this.kPerChunk = kPerChunk;
        this.options = settings.factors();
        for (int j = 0; j < options.length; j++) {
            options[j] = j == settings.uniform() ? kPerChunk
                    : Math.clamp(Math.rint(kPerChunk * options[j]), 1, (double) chunk * chunk);
        }
    }

    @Override
    public double[] options() {
        return options.clone();
    }

    @Override
    public long[][] sizes(ModelSpec spec) {
        long[][] sizes = new long[spec.tensors().size()][options.length];
        for (int j = 0; j < options.length; j++) {
            long[] bits = new SparseLoCoCodec(chunk, (int) options[j]).tensorBits(spec);
            for (int l = 0; l < sizes.length; l++) {
                sizes[l][j] = bits[l];
            }
        }
        return sizes;
    }

    @Override
    public double[][] errors(Tensors update) {
        ModelSpec spec = update.spec();
        float[] v = update.values();
        double[][] errors = new double[spec.tensors().size()][options.length];
        for (int j = 0; j < options.length; j++) {
            // The quantiser's statistics are per tensor, so a tensor's reconstruction at option j is the same
            // whatever the other tensors keep: one reconstruction per option gives every tensor's.
            float[] c = new SparseLoCoCodec(chunk, (int) options[j]).reconstruct(update).values();
            for (int l = 0; l < errors.length; l++) {
                int offset = spec.offset(l);
                double sum = 0;
                for (int i = offset; i < offset + spec.tensors().get(l).elementCount(); i++) {
                    double diff = (double) v[i] - c[i];
                    sum += diff * diff;
                }
                errors[l][j] = Math.sqrt(sum);
            }
        }
        return errors;
    }

    @Override
    public UpdateCodec codec(Map<String, Double> plan) {
        return SparseLoCoCodec.perTensor(chunk, kPerChunk, WholeCounts.of(plan, "sparseloco's kPerChunk"));
    }
}
