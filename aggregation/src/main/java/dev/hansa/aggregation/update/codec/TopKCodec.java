package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.SparseEntries;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
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
    private final Map<String, Double> perTensor;

    public TopKCodec(double k) {
        this.size = new SparseSize(k);
        this.perTensor = null;
    }

    private TopKCodec(double k, Map<String, Double> perTensor) {
        this.size = new SparseSize(k);
        perTensor.forEach((name, fraction) -> {
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("update.tensorKnob." + name + " must be topk's density, a fraction"
                        + " in (0, 1), got " + fraction);
            }
        });
        this.perTensor = Map.copyOf(perTensor);
    }

    /**
     * Top-k within each tensor instead of over the whole model (L-GreCo's per-layer setting): tensor t keeps
     * {@code perTensor.get(t)} of its entries where the map names it, else {@code k} of them. The frame is the same;
     * only which indices it holds differs.
     *
     * @throws IllegalArgumentException naming {@code update.tensorKnob.<tensor>} for a density outside (0, 1)
     */
    public static TopKCodec perTensor(double k, Map<String, Double> perTensor) {
        return new TopKCodec(k, perTensor);
    }

    /** The entries a fraction in (0, 1) or count {@code k} keeps of {@code d} ({@code update.k}'s rule). */
    public static int kept(double k, int d) {
        return new SparseSize(k).of(d);
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
        int[] kept = largest(values);
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
        long k = 0;
        if (perTensor == null) {
            k = size.of(d);
        } else {
            for (TensorSpec t : spec.tensors()) {
                k += keptOf(t);
            }
        }
        long delta = k * IndexCoding.varintBytes(d);
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
        if (perTensor != null) {
            checkPlannedCounts(spec, at);
        }
        return new Decoded(Tensors.sparse(spec, new SparseEntries(at, kept)), frame.metadata());
    }

    @Override
    public Tensors reconstruct(Tensors values) {
        return new Tensors(values.spec(), SparseValues.keep(values.values(), largest(values)));
    }

    /** The kept indices, ascending: over the whole model, or tensor by tensor. */
    private int[] largest(Tensors values) {
        float[] v = values.values();
        if (perTensor == null) {
            return LargestMagnitudes.indices(v, size.of(v.length));
        }
        ModelSpec spec = values.spec();
        int[][] parts = new int[spec.tensors().size()][];
        int total = 0;
        for (int t = 0; t < parts.length; t++) {
            TensorSpec tensor = spec.tensors().get(t);
            int offset = spec.offset(t);
            parts[t] = LargestMagnitudes.indices(Arrays.copyOfRange(v, offset, offset + tensor.elementCount()),
                    keptOf(tensor));
            total += parts[t].length;
        }
        int[] kept = new int[total];
        for (int t = 0, j = 0; t < parts.length; t++) {
            for (int i : parts[t]) {
                kept[j++] = spec.offset(t) + i;
            }
        }
        return kept;
    }

    /** Refuses a per-tensor frame that does not keep, in every tensor, the count the plan gives it. */
    private void checkPlannedCounts(ModelSpec spec, int[] ascending) {
        int j = 0;
        for (int t = 0; t < spec.tensors().size(); t++) {
            TensorSpec tensor = spec.tensors().get(t);
            int end = spec.offset(t) + tensor.elementCount();
            int from = j;
            while (j < ascending.length && ascending[j] < end) {
                j++;
            }
            if (j - from != keptOf(tensor)) {
                throw UpdateFrame.malformed("topk keeps " + (j - from) + " entries of tensor '" + tensor.name()
                        + "'; the plan's per-tensor density keeps " + keptOf(tensor));
            }
        }
    }

    private int keptOf(TensorSpec tensor) {
        int n = tensor.elementCount();
        return n == 0 ? 0 : new SparseSize(perTensor.getOrDefault(tensor.name(), size.k())).of(n);
    }
}
