package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.random.Draws;
import dev.hansa.aggregation.random.Philox;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.SparseEntries;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * {@value #NAME}: k coordinates drawn uniformly without replacement from a stream both sides regenerate, so only
 * the values travel (Stich et al., "Sparsified SGD with Memory", NeurIPS 2018, rand-k; Konečný et al. 2016,
 * "random mask"). {@code k} comes from {@code update.k} ({@link SparseSize}). The indices are the first k steps of a
 * Fisher-Yates shuffle of 0..d-1, {@code j = i + nextInt(d - i)}, sorted, on the {@link Philox} stream
 * {@code (plan seed, }{@value #STREAM_HEX}{@code )}: the plan's seed is the participant's
 * ({@code Seeds.forClient(round seed, client id)}), so they depend on the round and the client and on nothing the
 * client chooses. Values are sent as they are, not scaled by d/k: the biased, contractive form that error feedback
 * expects (the scaled, unbiased one has k/d times larger variance and no use without a rule that needs it).
 * Decodes to sparse {@link Tensors} (the server folds the k entries without expanding them).
 *
 * <p>The codec needs the participant's seed: {@link #forParticipant} binds it, and an unbound instance refuses to
 * encode, decode or reconstruct.
 */
public final class RandKCodec implements UpdateCodec {

    public static final String NAME = "randk";
    /** The Philox stream id of rand-k indices: "randk" in ASCII. */
    public static final long STREAM = 0x72616E646BL;
    static final String STREAM_HEX = "0x72616e646b";
    private static final int HEADER = 4;

    private final SparseSize size;
    private final Long seed;

    public RandKCodec(double k) {
        this(new SparseSize(k), null);
    }

    private RandKCodec(SparseSize size, Long seed) {
        this.size = size;
        this.seed = seed;
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
        return new RandKCodec(size, participantSeed);
    }

    @Override
    public byte[] encode(Tensors values, Map<String, String> metadata) {
        float[] v = values.values();
        int[] kept = indices(v.length);
        return UpdateFrame.write(NAME, v.length, metadata, HEADER + 4 * kept.length, out -> {
            out.putInt(kept.length);
            for (int i : kept) {
                out.putFloat(v[i]);
            }
        });
    }

    @Override
    public long encodedSize(ModelSpec spec, Map<String, String> metadata) {
        return UpdateFrame.size(NAME, metadata, HEADER + 4L * size.of(spec.parameterCount()));
    }

    @Override
    public Decoded decode(MemorySegment bytes, ModelSpec spec) {
        int d = spec.parameterCount();
        UpdateFrame.Parsed frame = UpdateFrame.read(bytes, NAME, d);
        MemorySegment payload = frame.payload();
        int k = SparseValues.count(payload, HEADER, d, NAME);
        if (k != size.of(d)) {
            throw UpdateFrame.malformed("the randk frame holds " + k + " values, the plan's update.k keeps "
                    + size.of(d) + " of " + d);
        }
        if (payload.byteSize() != HEADER + 4L * k) {
            throw UpdateFrame.malformed("a randk payload of " + k + " values has " + (HEADER + 4L * k) + " bytes, "
                    + payload.byteSize() + " found");
        }
        float[] values = new float[k];
        for (int j = 0; j < k; j++) {
            values[j] = payload.get(SparseValues.F32, HEADER + 4L * j);
        }
        return new Decoded(Tensors.sparse(spec, new SparseEntries(indices(d), values)), frame.metadata());
    }

    @Override
    public Tensors reconstruct(Tensors values) {
        float[] v = values.values();
        return new Tensors(values.spec(), SparseValues.keep(v, indices(v.length)));
    }

    /** The ascending indices this participant keeps of {@code d}. */
    int[] indices(int d) {
        if (seed == null) {
            throw new IllegalStateException("randk draws its indices from the participant's seed: bind it with"
                    + " forParticipant(seed) first");
        }
        return indices(seed, d, size.of(d));
    }

    /** The rand-k indices of a participant whose plan seed is {@code seed}: k of d, ascending. */
    public static int[] indices(long seed, int d, int k) {
        Philox stream = Philox.stream(seed, STREAM);
        return Draws.distinctSorted(d, k, stream::nextInt);
    }
}
