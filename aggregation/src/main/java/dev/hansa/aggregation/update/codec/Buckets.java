package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;

/**
 * The buckets that scaled codecs ({@code qsgd}, {@code sign}) take one scale per: each tensor, in the spec's order, cut
 * into runs of {@code size} consecutive values, the last run of a tensor possibly shorter; a bucket never spans two
 * tensors, whose scales differ. A size of {@link Integer#MAX_VALUE} makes every tensor one bucket.
 */
final class Buckets {

    /** Receives one bucket as the flat index range {@code [from, to)}, with its 0-based number. */
    interface Visitor {
        void accept(int bucket, int from, int to);
    }

    private Buckets() {
    }

    static int count(ModelSpec spec, int size) {
        long n = 0;
        for (TensorSpec t : spec.tensors()) {
            n += (t.elementCount() + (long) size - 1) / size;
        }
        return (int) n;
    }

    static void forEach(ModelSpec spec, int size, Visitor visitor) {
        int offset = 0;
        int bucket = 0;
        for (TensorSpec t : spec.tensors()) {
            int end = offset + t.elementCount();
            for (int from = offset; from < end; ) {
                int to = (int) Math.min(end, (long) from + size);
                visitor.accept(bucket++, from, to);
                from = to;
            }
            offset = end;
        }
    }
}
