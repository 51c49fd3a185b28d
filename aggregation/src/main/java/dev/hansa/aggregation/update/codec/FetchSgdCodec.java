package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * {@value #NAME}: FetchSGD's upload (Rothchild et al., ICML 2020): the count sketch of the update, sent as its r x c
 * table like {@code countsketch}'s, but decoded to the table itself, not unsketched: the server sums the tables
 * (a sketch is linear) and strategy {@code fetchsgd} unsketches once per round. Every participant of every round
 * hashes with the same {@link CountSketch}, of seed {@code update.params.hashSeed}, not its plan seed, because the
 * server's momentum and error live in that sketch's space across rounds. Parameters: {@code rows} (default 5, as
 * FetchSGD), {@code columns} (default {@value #DEFAULT_COLUMNS}), {@code hashSeed} (default 0).
 */
public final class FetchSgdCodec implements UpdateCodec {

    public static final String NAME = "fetchsgd";
    /** The name of the decoded table's one tensor, shaped [rows, columns]. */
    public static final String TABLE = "sketch";
    static final int DEFAULT_COLUMNS = 10_000;
    /** hashSeed travels as a JSON number, exact up to 2^53. */
    static final long MAX_HASH_SEED = 1L << 53;

    private final CountSketch sketch;

    public FetchSgdCodec(CountSketch sketch) {
        this.sketch = sketch;
    }

    /** From {@code update.params}: {@code rows}, {@code columns} and {@code hashSeed}. */
    static FetchSgdCodec of(Hyperparameters params) {
        int rows = CountSketchCodec.rows(params);
        int columns = (int) params.integer("columns", DEFAULT_COLUMNS, 1, CountSketch.MAX_COLUMNS);
        return new FetchSgdCodec(new CountSketch(rows, columns, params.integer("hashSeed", 0, 0, MAX_HASH_SEED)));
    }

    /** The hashes every party of the federation shares. */
    public CountSketch sketch() {
        return sketch;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean lossless() {
        return false;
    }

    /** The layout of {@code sketch}'s table: one tensor {@value #TABLE} of shape [rows, columns]. */
    public static ModelSpec tableSpec(CountSketch sketch) {
        return ModelSpec.of(new TensorSpec(TABLE, new int[] {sketch.rows(), sketch.columns()}));
    }

    @Override
    public ModelSpec decodedSpec(ModelSpec model) {
        return tableSpec(sketch);
    }

    @Override
    public byte[] encode(Tensors values, Map<String, String> metadata) {
        return SketchTables.encode(NAME, sketch.sketch(values.values()), values.values().length, metadata);
    }

    @Override
    public long encodedSize(ModelSpec spec, Map<String, String> metadata) {
        return UpdateFrame.size(NAME, metadata, 4L * sketch.cells());
    }

    @Override
    public Decoded decode(MemorySegment bytes, ModelSpec spec) {
        SketchTables.Read read = SketchTables.decode(NAME, bytes, spec.parameterCount(), sketch.rows(),
                sketch.columns());
        return new Decoded(new Tensors(decodedSpec(spec), read.table()), read.metadata());
    }

    @Override
    public Tensors reconstruct(Tensors values) {
        return new Tensors(decodedSpec(values.spec()), SketchTables.rounded(sketch.sketch(values.values())));
    }
}
