package dev.hansa.aggregation.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.RandKCodec;
import dev.hansa.aggregation.update.codec.SparseLoCoCodec;
import dev.hansa.aggregation.update.codec.TopKCodec;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The server's fold of decoded sparse updates (topk, randk, sparseloco) against the dense fold of the same updates
 * expanded first, bit for bit, mixed with dense updates held back by the accumulator.
 */
class SparseFoldTest {

    private static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("w", new int[] {96, 80}),
            new TensorSpec("b", new int[] {80}));

    @Test
    void sparseDecodedUpdatesFoldToTheBitsOfTheirDenseExpansion() {
        SplittableRandom r = new SplittableRandom(12);
        List<UpdateCodec> codecs = List.of(new TopKCodec(0.05), new RandKCodec(0.02), new SparseLoCoCodec(16, 8));
        for (int trial = 0; trial < 5; trial++) {
            StreamingAggregator.Accumulator sparseFold = new WeightedMean().start(SPEC);
            double[] want = new double[SPEC.parameterCount()];
            for (int u = 0; u < 11; u++) {
                float[] v = new float[SPEC.parameterCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextGaussian() * Math.exp(2 * r.nextGaussian()));
                }
                double w = r.nextDouble(0.5, 500);
                // Every fourth update travels dense, so sparse folds interleave with held-back dense ones.
                UpdateCodec codec = u % 4 == 3 ? null : codecs.get(u % 3).forParticipant(r.nextLong());
                Tensors update = new Tensors(SPEC, v);
                Tensors received = codec == null ? update : decode(codec, update);
                Tensors expanded = codec == null ? update : new Tensors(SPEC, decode(codec, update).values());
                assertTrue(codec == null || received.sparseEntries().isPresent(), codec + " decodes sparse");
                sparseFold.add(received, w);
                for (int i = 0; i < want.length; i++) {
                    want[i] += w * expanded.values()[i];
                }
                assertTrue(codec == null || received.sparseEntries().isPresent(), "the fold did not expand it");
            }
            double[] got = sparseFold.sum();
            for (int i = 0; i < want.length; i++) {
                assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]),
                        "trial " + trial + ", sum[" + i + "]");
            }
        }
    }

    private static Tensors decode(UpdateCodec codec, Tensors update) {
        byte[] frame = codec.encode(update, Map.of("num_samples", "3"));
        return codec.decode(MemorySegment.ofArray(frame), SPEC).values();
    }
}
