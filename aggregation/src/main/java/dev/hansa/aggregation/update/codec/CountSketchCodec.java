package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.random.Philox;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Map;

/**
 * {@value #NAME}: a count sketch of the update (Charikar, Chen, Farach-Colton 2002), sent as its table, and unsketched
 * by the server to the k heavy hitters, as FetchSGD does (Rothchild et al., "FetchSGD: Communication-Efficient
 * Federated Learning with Sketching", ICML 2020; COMPRESSION_MORE.md §2.2): {@code update.params.rows} r (default 5)
 * by {@code update.params.columns} c float32 cells, whatever the model's size d. Row j hashes coordinate i to the
 * column {@code h_j(i)} with the sign {@code s_j(i)}: both drawn from the Philox stream {@code (plan seed, }
 * {@value #STREAM_HEX}{@code  << 8 | j)}, per coordinate in order {@code nextInt(c)} then {@code nextSign()}, so the
 * hashes are fully random (not FetchSGD's 2- and 4-wise independent polynomials) and both sides draw the same ones.
 * Sketch: {@code S[j][h_j(i)] += s_j(i) x_i} (summed in double, rounded once). Unsketch: every coordinate's estimate
 * {@code median_j s_j(i) S[j][h_j(i)]} (the lower middle for even r, as torch), then the k of largest magnitude,
 * k from {@code update.k}, ties to the lower index; the rest is zero. Lossy and biased: pair it with error feedback.
 * The sketch is linear, so sketches with the same hashes add; here each participant's seed gives its own hashes and
 * the server unsketches each update as it arrives. Sketching is compression, not privacy: docs/algorithms.md.
 */
public final class CountSketchCodec implements UpdateCodec {

    public static final String NAME = "countsketch";
    /** The Philox stream ids of the rows' hashes: "sketch" in ASCII, shifted left 8 bits, or the row. */
    public static final long STREAM = 0x736b65746368L;
    static final String STREAM_HEX = "0x736b65746368";
    static final int MAX_ROWS = 31;
    static final int MAX_COLUMNS = 1 << 26;

    private final SparseSize size;
    private final int rows;
    private final int columns;
    private final Long seed;

    public CountSketchCodec(double k, int rows, int columns) {
        this(new SparseSize(k), rows, columns, null);
    }

    private CountSketchCodec(SparseSize size, int rows, int columns, Long seed) {
        if (rows < 1 || rows > MAX_ROWS) {
            throw new IllegalArgumentException("update.params.rows must be an integer in [1, " + MAX_ROWS + "], got "
                    + rows);
        }
        if (columns < 1 || columns > MAX_COLUMNS) {
            throw new IllegalArgumentException("update.params.columns must be an integer in [1, " + MAX_COLUMNS
                    + "], got " + columns);
        }
        this.size = size;
        this.rows = rows;
        this.columns = columns;
        this.seed = seed;
    }

    /** From {@code update.k} and {@code update.params}: {@code columns} (required) and {@code rows} (default 5). */
    static CountSketchCodec of(double k, Hyperparameters params) {
        if (!params.has("columns")) {
            throw new IllegalArgumentException(params.field("columns") + " is required for countsketch: the sketch's"
                    + " width, an integer in [1, " + MAX_COLUMNS + "]");
        }
        int columns = (int) params.integer("columns", 0, 1, MAX_COLUMNS);
        return new CountSketchCodec(k, (int) params.integer("rows", 5, 1, MAX_ROWS), columns);
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
        float[] table = sketch(values.values());
        return UpdateFrame.write(NAME, values.values().length, metadata, 4 * table.length, out -> {
            for (float cell : table) {
                out.putFloat(cell);
            }
        });
    }

    @Override
    public long encodedSize(ModelSpec spec, Map<String, String> metadata) {
        return UpdateFrame.size(NAME, metadata, 4L * rows * columns);
    }

    @Override
    public Decoded decode(MemorySegment bytes, ModelSpec spec) {
        int d = spec.parameterCount();
        UpdateFrame.Parsed frame = UpdateFrame.read(bytes, NAME, d);
        MemorySegment payload = UpdateFrame.exactPayload(frame, 4L * rows * columns,
                () -> "a countsketch payload of " + rows + " x " + columns + " float32 cells");
        float[] table = new float[rows * columns];
        for (int cell = 0; cell < table.length; cell++) {
            table[cell] = payload.get(SparseValues.F32, 4L * cell);
            if (!Float.isFinite(table[cell])) {
                throw UpdateFrame.malformed("countsketch cell " + cell + " is " + table[cell]
                        + "; cells are finite float32 values");
            }
        }
        return new Decoded(new Tensors(spec, unsketch(table, d)), frame.metadata());
    }

    @Override
    public Tensors reconstruct(Tensors values) {
        float[] v = values.values();
        return new Tensors(values.spec(), unsketch(sketch(v), v.length));
    }

    /** The r x c table, row-major. */
    float[] sketch(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException("countsketch cannot encode the non-finite value " + v[i]
                        + " at parameter " + i);
            }
        }
        double[] sums = new double[rows * columns];
        for (int j = 0; j < rows; j++) {
            Philox hashes = rowHashes(j);
            for (float x : v) {
                int column = hashes.nextInt(columns);
                sums[j * columns + column] += hashes.nextSign() * (double) x;
            }
        }
        float[] table = new float[sums.length];
        for (int cell = 0; cell < sums.length; cell++) {
            table[cell] = (float) sums[cell];
        }
        return table;
    }

    /** The k coordinates of largest estimated magnitude, at their estimates; zero elsewhere. */
    private float[] unsketch(float[] table, int d) {
        Philox[] hashes = new Philox[rows];
        for (int j = 0; j < rows; j++) {
            hashes[j] = rowHashes(j);
        }
        float[] estimates = new float[d];
        float[] perRow = new float[rows];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < rows; j++) {
                int column = hashes[j].nextInt(columns);
                perRow[j] = hashes[j].nextSign() * table[j * columns + column];
            }
            Arrays.sort(perRow);
            estimates[i] = perRow[(rows - 1) / 2];
        }
        return SparseValues.keep(estimates, LargestMagnitudes.indices(estimates, size.of(d)));
    }

    private Philox rowHashes(int row) {
        if (seed == null) {
            throw new IllegalStateException("countsketch hashes with the participant's seed: bind it with"
                    + " forParticipant(seed) first");
        }
        return Philox.stream(seed, STREAM << 8 | row);
    }
}
