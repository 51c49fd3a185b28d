package dev.hansa.aggregation.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hansa.aggregation.tensor.InvalidTensorsException;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateCodecTest {

    static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("conv/w", new int[] {2, 3}), new TensorSpec("b", new int[] {2}));

    static Tensors weights(float start) {
        float[] v = new float[SPEC.parameterCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = start + i * 0.25f;
        }
        return new Tensors(SPEC, v);
    }

    @Test
    void roundTripsTensorsAndScalarsExactly() {
        State state = new State(Map.of("m", weights(1), "v", weights(-3)),
                Map.of("lr", 0.1 * 0.998, "count", 17.0, "tiny", Double.MIN_VALUE));
        State back = StateCodec.decode(StateCodec.encode(state));
        assertEquals(state.scalars(), back.scalars());
        assertEquals(state.tensors().keySet(), back.tensors().keySet());
        for (String key : state.tensors().keySet()) {
            assertEquals(SPEC, back.tensors().get(key).spec(), key);
            assertArrayEquals(state.tensors().get(key).values(), back.tensors().get(key).values(), key);
        }
    }

    @Test
    void equalStatesEncodeToEqualBytes() {
        State a = new State(Map.of("m", weights(1), "v", weights(2)), Map.of("x", 1.0, "y", 2.0));
        State b = new State(Map.of("v", weights(2), "m", weights(1)), Map.of("y", 2.0, "x", 1.0));
        assertArrayEquals(StateCodec.encode(a), StateCodec.encode(b));
    }

    @Test
    void roundTripsTheEmptyStateAndScalarOnlyStates() {
        assertEquals(State.EMPTY, StateCodec.decode(StateCodec.encode(State.EMPTY)));
        State scalars = new State(Map.of(), Map.of("n", 3.0));
        assertEquals(scalars, StateCodec.decode(StateCodec.encode(scalars)));
    }

    @Test
    void isReadableAsPlainSafetensorsWithPrefixedNames() {
        byte[] bytes = StateCodec.encode(new State(Map.of("h", weights(0)), Map.of()));
        Safetensors.Contents contents = Safetensors.read(bytes);
        assertEquals(java.util.List.of("h/conv/w", "h/b"), contents.tensors().spec().names());
    }

    @Test
    void rejectsBytesThatAreNotAState() {
        byte[] model = Safetensors.write(weights(0), Map.of());
        assertThrows(InvalidTensorsException.class, () -> StateCodec.decode(model));
        assertThrows(InvalidTensorsException.class, () -> StateCodec.decode(new byte[] {1, 2, 3}));
    }

    @Test
    void rejectsKeysThatCannotBePrefixes() {
        State bad = new State(Map.of("a/b", weights(0)), Map.of());
        assertThrows(IllegalArgumentException.class, () -> StateCodec.encode(bad));
    }
}
