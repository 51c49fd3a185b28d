package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * {@value #NAME}: the update as a safetensors file of F32 tensors with the metadata as {@code __metadata__}, the
 * default and the format a Python client writes with the safetensors library. Lossless.
 */
public final class DenseCodec implements UpdateCodec {

    public static final String NAME = "dense";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean lossless() {
        return true;
    }

    @Override
    public byte[] encode(Tensors values, Map<String, String> metadata) {
        return Safetensors.write(values, metadata);
    }

    @Override
    public long encodedSize(ModelSpec spec, Map<String, String> metadata) {
        return Safetensors.size(spec, metadata);
    }

    @Override
    public Decoded decode(MemorySegment bytes, ModelSpec spec) {
        Safetensors.Contents contents = Safetensors.read(bytes, spec);
        return new Decoded(contents.tensors(), contents.metadata());
    }

    @Override
    public Tensors reconstruct(Tensors values) {
        return values;
    }
}
