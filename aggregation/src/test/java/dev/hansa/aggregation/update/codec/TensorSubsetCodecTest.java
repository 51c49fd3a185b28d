package dev.hansa.aggregation.update.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.UpdateSpec;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TensorSubsetCodecTest {

    static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("a.weight", new int[] {2, 3}),
            new TensorSpec("b.weight", new int[] {4}), new TensorSpec("c.bias", new int[] {2}));
    static final List<String> SENT = List.of("c.bias", "a.weight");
    static final Map<String, String> METADATA = Map.of("num_samples", "7");

    static Tensors update() {
        return new Tensors(SPEC, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    }

    @Test
    void sendsTheNamedTensorsAsTheInnerCodecsModelOfThemAndDecodesTheRestAsZero() {
        UpdateCodec subset = new UpdateSpec("bf16", 0, false).withTensors(SENT).createCodec();
        ModelSpec sent = SPEC.select(SENT);
        assertEquals(List.of("a.weight", "c.bias"), sent.names(), "in the model's order");
        byte[] bytes = subset.encode(update(), METADATA);
        Bf16Codec bf16 = new Bf16Codec();
        assertArrayEquals(bf16.encode(new Tensors(sent, new float[] {1, 2, 3, 4, 5, 6, 11, 12}), METADATA), bytes);
        assertEquals(bytes.length, subset.encodedSize(SPEC, METADATA));
        assertTrue(bytes.length < bf16.encodedSize(SPEC, METADATA));
        UpdateCodec.Decoded decoded = subset.decode(MemorySegment.ofArray(bytes), SPEC);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 11, 12}, decoded.values().values());
        assertArrayEquals(decoded.values().values(), subset.reconstruct(update()).values());
        assertEquals(METADATA, decoded.metadata());
    }

    @Test
    void aSpecWithTensorsRoundTripsThroughJsonAndChecksTheNames() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        UpdateSpec spec = new UpdateSpec("topk", 0, true, 0.5).withTensors(SENT);
        assertEquals(spec, json.readValue(json.writeValueAsString(spec), UpdateSpec.class));
        assertEquals(List.of(), json.readValue("{\"codec\":\"dense\",\"clipNorm\":0,\"errorFeedback\":false,\"k\":0}",
                UpdateSpec.class).tensors(), "a stored plan from before the field reads as every tensor");
        assertEquals(SENT, spec.toMap().get("tensors"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UpdateSpec.DENSE.withTensors(List.of("a.weight", "a.weight")));
        assertTrue(e.getMessage().startsWith("update.tensors"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> UpdateSpec.DENSE.withTensors(List.of("nope")).createCodec().encodedSize(SPEC, METADATA));
    }
}
