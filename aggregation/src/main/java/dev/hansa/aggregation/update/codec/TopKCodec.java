package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.SparseEntries;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;

/**
 * {@value #NAME}: the k coordinates of largest magnitude, exactly (Aji and Heafield, "Sparse Communication for
 * Distributed Gradient Descent", EMNLP 2017; Stich et al., "Sparsified SGD with Memory", NeurIPS 2018), with
 * {@code k} from {@code update.k} ({@link SparseSize}). Ties in magnitude go to the lower index, so the choice is a
 * function of the values. The frame (docs/protocol.md) carries the indices delta-coded (LEB128 gaps) or as a bitmap,
 * whichever is smaller for this update (the bitmap only when strictly smaller), and the values as float32 in index
 * order. Kept values travel exactly; the rest is dropped, so pair it with error feedback. Decodes to sparse
 * {@link Tensors} (the server folds the k entries without expanding them).
 */
public final class TopKCodec implements UpdateCodec {

    public static final String NAME = "topk";
    static final int DELTA = 0;
    static final int BITMAP = 1;
    private static final int HEADER = 5;

    private final SparseSize size;

    public TopKCodec(double k) {
        this.size = new SparseSize(k);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean lossless() {
        return false;
    }

    @Override
    public byte[] encode(Tensors values, Map<String, String> metadata) {
        float[] v = values.values();
        int[] kept = LargestMagnitudes.indices(v, size.of(v.length));
        long delta = IndexCoding.deltaBytes(kept);
        long bitmap = IndexCoding.bitmapBytes(v.length);
        int coding = bitmap < delta ? BITMAP : DELTA;
        long payload = HEADER + Math.min(delta, bitmap) + 4L * kept.length;
        return UpdateFrame.write(NAME, v.length, metadata, Math.toIntExact(payload), out -> {
            out.putInt(kept.length).put((byte) coding);
            if (coding == BITMAP) {
                IndexCoding.putBitmap(out, kept, v.length);
            } else {
                IndexCoding.putDeltas(out, kept);
            }
            for (int i : kept) {
                out.putFloat(v[i]);
            }
        });
    }

    @Override
    public long encodedSize(ModelSpec spec, Map<String, String> metadata) {
        // Without the values the index coding's size is unknown: this is its bound, the smaller of the worst cases.
        int d = spec.parameterCount();
        int k = size.of(d);
        long delta = (long) k * IndexCoding.varintBytes(d);
        return UpdateFrame.size(NAME, metadata, HEADER + Math.min(delta, IndexCoding.bitmapBytes(d)) + 4L * k);
    }

    @Override
    public Decoded decode(MemorySegment bytes, ModelSpec spec) {
        int d = spec.parameterCount();
        UpdateFrame.Parsed frame = UpdateFrame.read(bytes, NAME, d);
        MemorySegment payload = frame.payload();
        int k = SparseValues.count(payload, HEADER, d, NAME);
        int coding = payload.get(ValueLayout.JAVA_BYTE, 4);
        long valuesAt = payload.byteSize() - 4L * k;
        MemorySegment indices = payload.asSlice(HEADER, valuesAt - HEADER);
        int[] at = new int[k];
        float[] kept = new float[k];
        IndexCoding.Visitor put = (j, index) -> {
            at[j] = index;
            kept[j] = payload.get(SparseValues.F32, valuesAt + 4L * j);
        };
        switch (coding) {
            case DELTA -> IndexCoding.readDeltas(indices, k, d, put);
            case BITMAP -> IndexCoding.readBitmap(indices, k, d, put);
            default -> throw UpdateFrame.malformed("unknown top-k index coding " + (coding & 0xff)
                    + " (0: delta, 1: bitmap)");
        }
        return new Decoded(Tensors.sparse(spec, new SparseEntries(at, kept)), frame.metadata());
    }

    @Override
    public Tensors reconstruct(Tensors values) {
        float[] v = values.values();
        return new Tensors(values.spec(), SparseValues.keep(v, LargestMagnitudes.indices(v, size.of(v.length))));
    }
}
