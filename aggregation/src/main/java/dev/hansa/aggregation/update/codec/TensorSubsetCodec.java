package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

/**
 * Another codec applied to some of the model's tensors only ({@code update.tensors}): the client encodes those
 * tensors as a model of just them, and the server decodes them and takes the others as zero. This is how a
 * fragment-wise strategy (Streaming DiLoCo, which synchronises one fragment of the layers per round) sends one
 * fragment's bytes and not the whole model's. The bytes are the inner codec's for the sub-model, so the frame is
 * that codec's (docs/protocol.md).
 */
public final class TensorSubsetCodec implements UpdateCodec {

    private final UpdateCodec inner;
    private final List<String> tensors;

    public TensorSubsetCodec(UpdateCodec inner, List<String> tensors) {
        this.inner = inner;
        this.tensors = List.copyOf(tensors);
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public boolean lossless() {
        return false;
    }

    @Override
    public UpdateCodec forParticipant(long participantSeed) {
        return new TensorSubsetCodec(inner.forParticipant(participantSeed), tensors);
    }

    @Override
    public byte[] encode(Tensors values, Map<String, String> metadata) {
        return inner.encode(values.select(values.spec().select(tensors)), metadata);
    }

    @Override
    public long encodedSize(ModelSpec spec, Map<String, String> metadata) {
        return inner.encodedSize(spec.select(tensors), metadata);
    }

    @Override
    public Decoded decode(MemorySegment bytes, ModelSpec spec) {
        Decoded part = inner.decode(bytes, spec.select(tensors));
        return new Decoded(Tensors.embed(spec, part.values()), part.metadata());
    }

    @Override
    public Tensors reconstruct(Tensors values) {
        return Tensors.embed(values.spec(), inner.reconstruct(values.select(values.spec().select(tensors))));
    }
}
