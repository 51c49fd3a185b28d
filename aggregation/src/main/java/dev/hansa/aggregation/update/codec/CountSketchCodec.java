package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * {@value #NAME}: a count sketch of the update (Charikar, Chen, Farach-Colton 2002), sent as its table, and unsketched
 * by the server to the k heavy hitters, as FetchSGD does (Rothchild et al., "FetchSGD: Communication-Efficient
 * Federated Learning with Sketching", ICML 2020; COMPRESSION_MORE.md §2.2): {@code update.params.rows} r (default 5)
 * by {@code update.params.columns} c float32 cells, whatever the model's size d. Row j hashes coordinate i to the
 * column {@code h_j(i)} with the sign {@code s_j(i)}: the {@link CountSketch} of the participant's plan seed, so both
 * sides draw the same hashes.
 * Sketch: {@code S[j][h_j(i)] += s_j(i) x_i} (summed in double, rounded once). Unsketch: every coordinate's estimate
 * {@code median_j s_j(i) S[j][h_j(i)]} (the lower middle for even r, as torch), then the k of largest magnitude,
 * k from {@code update.k}, ties to the lower index; the rest is zero. Lossy and biased: pair it with error feedback.
 * The sketch is linear, so sketches with the same hashes add; here each participant's seed gives its own hashes and
 * the server unsketches each update as it arrives (strategy {@code fetchsgd} with codec {@code fetchsgd} merges
 * them first). Sketching is compression, not privacy: docs/algorithms.md.
 */
public final class CountSketchCodec implements UpdateCodec {

    public static final String NAME = "countsketch";

    private final SparseSize size;
    private final int rows;
    private final int columns;
    private final CountSketch sketch;

    public CountSketchCodec(double k, int rows, int columns) {
        this(new SparseSize(k), rows, columns, null);
    }

    private CountSketchCodec(SparseSize size, int rows, int columns, Long seed) {
        CountSketch checked = new CountSketch(rows, columns, seed == null ? 0 : seed);
        this.size = size;
        this.rows = rows;
        this.columns = columns;
        this.sketch = seed == null ? null : checked;
    }

    /** From {@code update.k} and {@code update.params}: {@code columns} (required) and {@code rows} (default 5). */
    static CountSketchCodec of(double k, Hyperparameters params) {
        return new CountSketchCodec(k, rows(params), columns(params, NAME));
    }

    /** {@code update.params.rows}: default 5, as FetchSGD. */
    static int rows(Hyperparameters params) {
        return (int) params.integer("rows", 5, 1, CountSketch.MAX_ROWS);
    }

    /** {@code update.params.columns}, required. */
    static int columns(Hyperparameters params, String codec) {
        if (!params.has("columns")) {
            throw new IllegalArgumentException(params.field("columns") + " is required for " + codec + ": the"
                    + " sketch's width, an integer in [1, " + CountSketch.MAX_COLUMNS + "]");
        }
        return (int) params.integer("columns", 0, 1, CountSketch.MAX_COLUMNS);
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
    public UpdateCodec forParticipant(long participantSeed) {
        return new CountSketchCodec(size, rows, columns, participantSeed);
    }

    @Override
    public byte[] encode(Tensors values, Map<String, String> metadata) {
        return SketchTables.encode(NAME, bound().sketch(values.values()), values.values().length, metadata);
    }

    @Override
    public long encodedSize(ModelSpec spec, Map<String, String> metadata) {
        return UpdateFrame.size(NAME, metadata, 4L * rows * columns);
    }

    @Override
    public Decoded decode(MemorySegment bytes, ModelSpec spec) {
        int d = spec.parameterCount();
        SketchTables.Read read = SketchTables.decode(NAME, bytes, d, rows, columns);
        return new Decoded(new Tensors(spec, bound().heavyHitters(read.table(), d, size.of(d))), read.metadata());
    }

    @Override
    public Tensors reconstruct(Tensors values) {
        float[] v = values.values();
        return new Tensors(values.spec(), bound().heavyHitters(SketchTables.rounded(bound().sketch(v)), v.length,
                size.of(v.length)));
    }

    private CountSketch bound() {
        if (sketch == null) {
            throw new IllegalStateException("countsketch hashes with the participant's seed: bind it with"
                    + " forParticipant(seed) first");
        }
        return sketch;
    }
}
