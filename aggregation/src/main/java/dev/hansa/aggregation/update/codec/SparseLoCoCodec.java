package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.SparseEntries;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@value #NAME}: SparseLoCo's compressor (Sarfi, Thérien, Lidin, Belilovsky, arXiv 2508.15706; its official code as
 * COMPRESSION_MORE.md §4 read it): top-k per chunk, then a 2-bit "statistical" quantiser per tensor. Each tensor is
 * viewed as a matrix (a vector as one row, more dimensions as {@code shape[0]} rows) and cut into chunks of
 * {@code h x w} entries, h and w the largest divisors of its row and column counts that are at most
 * {@code update.params.chunk} (64); each chunk keeps the {@code k = max(1, rint(h w kPerChunk / chunk^2))} entries of
 * largest magnitude ({@code update.params.kPerChunk}, 128 of 4096: 3.125%; ties to the lower index). The kept values of
 * a tensor are quantised together to 4 bins: {@code shift = mean}, {@code c = v - shift},
 * {@code scale = 6 std(c) / 4} (sample std; 1 when it is 0 or undefined), bin {@code clamp(rint(c / scale + 2), 0, 3)},
 * and each bin decodes to the mean of its c (0 if empty) plus the shift. The decayed error feedback that replaces
 * DiLoCo's outer momentum in SparseLoCo is a transform ({@code update.errorFeedbackRule} {@code decayed}).
 * With L-GreCo each tensor may keep its own count per chunk ({@link #perTensor}). Frame: docs/protocol.md. Decodes
 * to sparse {@link Tensors} (the server folds the kept entries without expanding them).
 */
public final class SparseLoCoCodec implements UpdateCodec {

    public static final String NAME = "sparseloco";
    static final int BINS = 4;
    static final double RANGE = 6;
    private static final int CODE_BITS = 2;
    private static final int TENSOR_HEADER = 4 * (1 + BINS);

    private final int chunk;
    private final int kPerChunk;
    private final Map<String, Integer> perTensor;

    public SparseLoCoCodec(int chunk, int kPerChunk) {
        this(chunk, kPerChunk, Map.of());
    }

    private SparseLoCoCodec(int chunk, int kPerChunk, Map<String, Integer> perTensor) {
        if (chunk < 1 || chunk > 4096) {
            throw new IllegalArgumentException("update.params.chunk must be an integer in [1, 4096], got " + chunk);
        }
        checkKPerChunk("update.params.kPerChunk", kPerChunk, chunk);
        perTensor.forEach((name, k) -> checkKPerChunk("update.tensorKnob." + name, k, chunk));
        this.chunk = chunk;
        this.kPerChunk = kPerChunk;
        this.perTensor = Map.copyOf(perTensor);
    }

    /**
     * The kept entries per full chunk tensor by tensor (L-GreCo's per-layer setting): tensor t keeps
     * {@code perTensor.get(t)} per chunk of {@code chunk^2} (scaled to its chunks' size as {@code kPerChunk} is)
     * where the map names it, else {@code kPerChunk}. The frame is the same; only each tensor's k per chunk differs.
     *
     * @throws IllegalArgumentException naming {@code update.tensorKnob.<tensor>} for a count out of range
     */
    public static SparseLoCoCodec perTensor(int chunk, int kPerChunk, Map<String, Integer> perTensor) {
        return new SparseLoCoCodec(chunk, kPerChunk, perTensor);
    }

    private static void checkKPerChunk(String field, int k, int chunk) {
        if (k < 1 || k > chunk * chunk) {
            throw new IllegalArgumentException(field + " must be sparseloco's kPerChunk, an integer in [1, chunk^2 = "
                    + chunk * chunk + "], got " + k);
        }
    }

    /**
     * Each tensor's part of the payload in bits, in the spec's order (0 for an empty tensor): its 5 float32 (shift
     * and table) and, per kept entry, its index within the chunk and its 2-bit code. The payload is the sum rounded
     * up to whole bytes, so {@link #encodedSize} is this sum's bytes plus the frame.
     */
    public long[] tensorBits(ModelSpec spec) {
        long[] bits = new long[spec.tensors().size()];
        List<Layout> layouts = layouts(spec);
        for (int t = 0, j = 0; t < bits.length; t++) {
            if (spec.tensors().get(t).elementCount() > 0) {
                Layout l = layouts.get(j++);
                bits[t] = 8L * TENSOR_HEADER + (long) l.kept() * (l.indexBits() + CODE_BITS);
            }
        }
        return bits;
    }

    /** From {@code update.params}: {@code chunk} (default 64) and {@code kPerChunk} (default 128), SparseLoCo's. */
    static SparseLoCoCodec of(Hyperparameters params) {
        int chunk = (int) params.integer("chunk", 64, 1, 4096);
        return new SparseLoCoCodec(chunk, (int) params.integer("kPerChunk", 128, 1, (long) chunk * chunk));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean lossless() {
        return false;
    }

    /** One tensor's chunking: {@code rows x columns}, chunks of {@code height x width}, k kept per chunk. */
    record Layout(int offset, int rows, int columns, int height, int width, int k) {

        int chunks() {
            return (rows / height) * (columns / width);
        }

        int kept() {
            return chunks() * k;
        }

        int indexBits() {
            return BitPacking.width((long) height * width - 1);
        }

        /** The flat index of entry j of chunk c. */
        int flat(int c, int j) {
            int perRow = columns / width;
            int row = (c / perRow) * height + j / width;
            return offset + row * columns + (c % perRow) * width + j % width;
        }
    }

    /** The chunkings of the spec's non-empty tensors, in order. */
    List<Layout> layouts(ModelSpec spec) {
        List<Layout> layouts = new ArrayList<>();
        int offset = 0;
        for (TensorSpec t : spec.tensors()) {
            int n = t.elementCount();
            if (n > 0) {
                int[] shape = t.shape();
                int rows = shape.length < 2 ? 1 : shape[0];
                int columns = n / rows;
                int height = largestDivisor(rows);
                int width = largestDivisor(columns);
                int perChunk = perTensor.getOrDefault(t.name(), kPerChunk);
                int k = (int) Math.min((long) height * width,
                        Math.max(1, (long) Math.rint((double) height * width * perChunk / ((double) chunk * chunk))));
                layouts.add(new Layout(offset, rows, columns, height, width, k));
            }
            offset += n;
        }
        return layouts;
    }

    private int largestDivisor(int n) {
        for (int v = Math.min(n, chunk); ; v--) {
            if (n % v == 0) {
                return v;
            }
        }
    }

    /** One tensor's encoding: the kept flat indices (per chunk, ascending within it), their bins, and the table. */
    private record Quantised(int[] flat, int[] inChunk, int[] bins, float shift, float[] lookup) {

        float value(int j) {
            return (float) ((double) lookup[bins[j]] + shift);
        }
    }

    private Quantised quantise(float[] v, Layout layout) {
        int kept = layout.kept();
        int[] flat = new int[kept];
        int[] inChunk = new int[kept];
        float[] values = new float[layout.height() * layout.width()];
        for (int c = 0, j = 0; c < layout.chunks(); c++) {
            for (int e = 0; e < values.length; e++) {
                float x = v[layout.flat(c, e)];
                if (!Float.isFinite(x)) {
                    throw new IllegalArgumentException("sparseloco cannot encode the non-finite value " + x
                            + " at parameter " + layout.flat(c, e));
                }
                values[e] = x;
            }
            for (int e : LargestMagnitudes.indices(values, layout.k())) {
                inChunk[j] = e;
                flat[j++] = layout.flat(c, e);
            }
        }
        double mean = 0;
        for (int i : flat) {
            mean += v[i];
        }
        mean /= kept;
        double squares = 0;
        for (int i : flat) {
            squares += (v[i] - mean) * (v[i] - mean);
        }
        double scale = RANGE * Math.sqrt(squares / (kept - 1)) / BINS;
        if (!(scale > 0) || Double.isInfinite(scale)) {
            scale = 1;
        }
        int[] bins = new int[kept];
        double[] sums = new double[BINS];
        int[] counts = new int[BINS];
        for (int j = 0; j < kept; j++) {
            double centred = v[flat[j]] - mean;
            bins[j] = (int) Math.max(0, Math.min(BINS - 1, Math.rint(centred / scale + BINS / 2.0)));
            sums[bins[j]] += centred;
            counts[bins[j]]++;
        }
        float[] lookup = new float[BINS];
        for (int b = 0; b < BINS; b++) {
            lookup[b] = counts[b] == 0 ? 0 : (float) (sums[b] / counts[b]);
        }
        return new Quantised(flat, inChunk, bins, (float) mean, lookup);
    }

    @Override
    public byte[] encode(Tensors values, Map<String, String> metadata) {
        float[] v = values.values();
        List<Layout> layouts = layouts(values.spec());
        List<Quantised> tensors = layouts.stream().map(l -> quantise(v, l)).toList();
        return UpdateFrame.write(NAME, v.length, metadata, Math.toIntExact(payloadBytes(layouts)), out -> {
            for (Quantised q : tensors) {
                out.putFloat(q.shift());
                for (float entry : q.lookup()) {
                    out.putFloat(entry);
                }
            }
            BitPacking.Writer bits = new BitPacking.Writer(out);
            for (int t = 0; t < layouts.size(); t++) {
                Layout layout = layouts.get(t);
                Quantised q = tensors.get(t);
                for (int c = 0; c < layout.chunks(); c++) {
                    int first = c * layout.k();
                    for (int j = first; j < first + layout.k(); j++) {
                        bits.put(q.inChunk()[j], layout.indexBits());
                    }
                    for (int j = first; j < first + layout.k(); j++) {
                        bits.put(q.bins()[j], CODE_BITS);
                    }
                }
            }
            bits.finish();
        });
    }

    @Override
    public long encodedSize(ModelSpec spec, Map<String, String> metadata) {
        return UpdateFrame.size(NAME, metadata, payloadBytes(layouts(spec)));
    }

    @Override
    public Decoded decode(MemorySegment bytes, ModelSpec spec) {
        int d = spec.parameterCount();
        UpdateFrame.Parsed frame = UpdateFrame.read(bytes, NAME, d);
        List<Layout> layouts = layouts(spec);
        MemorySegment payload = UpdateFrame.exactPayload(frame, payloadBytes(layouts),
                () -> "a sparseloco payload for " + d + " parameters in " + layouts.size() + " tensors");
        int total = Math.toIntExact(layouts.stream().mapToLong(Layout::kept).sum());
        Emitted out = new Emitted(new int[total], new float[total]);
        BitPacking.Reader bits = new BitPacking.Reader(payload.asSlice((long) TENSOR_HEADER * layouts.size()));
        for (int t = 0; t < layouts.size(); t++) {
            Layout layout = layouts.get(t);
            float shift = finite(payload, TENSOR_HEADER * t, t, "shift");
            float[] lookup = new float[BINS];
            for (int b = 0; b < BINS; b++) {
                lookup[b] = finite(payload, TENSOR_HEADER * t + 4 * (b + 1), t, "lookup entry " + b);
            }
            int perBand = layout.columns() / layout.width();
            int[] inChunk = new int[perBand * layout.k()];
            float[] values = new float[inChunk.length];
            for (int band = 0; band < layout.rows() / layout.height(); band++) {
                for (int b = 0; b < perBand; b++) {
                    readChunk(bits, layout, t, band * perBand + b, shift, lookup, b * layout.k(), inChunk, values);
                }
                out.band(layout, band * perBand, inChunk, values);
            }
        }
        bits.end("the sparseloco indices and codes");
        return new Decoded(Tensors.sparse(spec, new SparseEntries(out.indices, out.values)), frame.metadata());
    }

    /** Chunk c's k in-chunk indices and decoded values, into the arrays from {@code at}. */
    private static void readChunk(BitPacking.Reader bits, Layout layout, int t, int c, float shift, float[] lookup,
                                  int at, int[] inChunk, float[] values) {
        int size = layout.height() * layout.width();
        for (int j = at; j < at + layout.k(); j++) {
            inChunk[j] = bits.get(layout.indexBits());
            if (inChunk[j] >= size || j > at && inChunk[j] <= inChunk[j - 1]) {
                throw UpdateFrame.malformed("sparseloco tensor " + t + " chunk " + c + " index " + (j - at) + " is "
                        + inChunk[j] + "; indices ascend strictly below the chunk's " + size + " entries");
            }
        }
        for (int j = at; j < at + layout.k(); j++) {
            values[j] = (float) ((double) lookup[bits.get(CODE_BITS)] + shift);
            if (!Float.isFinite(values[j])) {
                throw UpdateFrame.malformed("sparseloco tensor " + t + " decodes to " + values[j]);
            }
        }
    }

    /**
     * The decoded entries in ascending flat order, filled one band of chunks (those that share rows) at a time.
     * Chunks arrive band by band, and within a chunk its entries ascend row by row, so walking the band's rows and,
     * in each, the chunks left to right, each chunk's run of entries on that row, yields the band in flat order
     * with no sort.
     */
    private static final class Emitted {
        final int[] indices;
        final float[] values;
        int count;

        Emitted(int[] indices, float[] values) {
            this.indices = indices;
            this.values = values;
        }

        void band(Layout layout, int firstChunk, int[] inChunk, float[] bandValues) {
            int chunks = inChunk.length / layout.k();
            int[] next = new int[chunks];
            for (int row = 0; row < layout.height(); row++) {
                for (int b = 0; b < chunks; b++) {
                    int end = (b + 1) * layout.k();
                    for (int j = b * layout.k() + next[b]; j < end && inChunk[j] / layout.width() == row; j++) {
                        indices[count] = layout.flat(firstChunk + b, inChunk[j]);
                        values[count++] = bandValues[j];
                        next[b]++;
                    }
                }
            }
        }
    }

    private static float finite(MemorySegment payload, long at, int tensor, String what) {
        float x = payload.get(SparseValues.F32, at);
        if (!Float.isFinite(x)) {
            throw UpdateFrame.malformed("sparseloco tensor " + tensor + " has " + what + " " + x
                    + "; the table holds finite float32 values");
        }
        return x;
    }

    @Override
    public Tensors reconstruct(Tensors values) {
        float[] v = values.values();
        float[] out = new float[v.length];
        for (Layout layout : layouts(values.spec())) {
            Quantised q = quantise(v, layout);
            for (int j = 0; j < q.flat().length; j++) {
                out[q.flat()[j]] = q.value(j);
            }
        }
        return new Tensors(values.spec(), out);
    }

    private static long payloadBytes(List<Layout> layouts) {
        long bits = 0;
        for (Layout l : layouts) {
            bits += (long) l.kept() * (l.indexBits() + CODE_BITS);
        }
        return (long) TENSOR_HEADER * layouts.size() + BitPacking.bytes(bits);
    }
}
