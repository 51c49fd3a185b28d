package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * How an update travels from a client to the server: the client encodes the output of its update transforms, the
 * server decodes the bytes the participant's plan says it will send (docs/protocol.md specifies each format with a
 * test vector). A codec is immutable and deterministic (its parameters from the {@code update} section, and for
 * shared randomness the participant's seed, see {@link #forParticipant}); lossy codecs pair with the error-feedback
 * transform, which needs {@link #reconstruct}.
 */
public interface UpdateCodec {

    /** The name plans and configs use, e.g. {@code dense}. */
    String name();

    /** Whether {@link #reconstruct} is the identity. */
    boolean lossless();

    /**
     * This codec for one participant's update, whose plan seed is {@code participantSeed}: the codec itself unless
     * it draws shared randomness ({@code randk}). Both sides bind the same seed before encoding or decoding.
     */
    default UpdateCodec forParticipant(long participantSeed) {
        return this;
    }

    /** The bytes of {@code values} with {@code metadata} (the update's string map, see {@code UpdateMetadata}). */
    byte[] encode(Tensors values, Map<String, String> metadata);

    /**
     * The length of {@link #encode}'s output, computed without encoding (what a simulation counts as traffic); for
     * a codec whose size depends on the values ({@code topk}'s index coding) the largest it can be.
     */
    long encodedSize(ModelSpec spec, Map<String, String> metadata);

    /**
     * Decodes untrusted bytes meant for a model of {@code spec}; every length is checked before it is used.
     *
     * @throws dev.hansa.aggregation.tensor.InvalidTensorsException with a reason code when the bytes are not a valid
     *                                                             encoding for {@code spec}
     */
    Decoded decode(MemorySegment bytes, ModelSpec spec);

    /**
     * The layout of what {@link #decode} and {@link #reconstruct} return for a model of {@code model}, which the
     * round aggregates: the model's own for every codec but {@code fetchsgd}, whose decoded update is the count
     * sketch's table that FetchSGD's server sums before unsketching.
     */
    default ModelSpec decodedSpec(ModelSpec model) {
        return model;
    }

    /** What the server decodes from {@code encode(values, ...)}, computed directly: {@code values} itself when lossless. */
    Tensors reconstruct(Tensors values);

    /** Decoded tensors (in the spec's order) and the metadata map. */
    record Decoded(Tensors values, Map<String, String> metadata) {
        public Decoded {
            metadata = Map.copyOf(metadata);
        }
    }
}
