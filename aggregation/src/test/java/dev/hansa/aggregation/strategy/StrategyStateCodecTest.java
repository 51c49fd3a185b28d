package dev.hansa.aggregation.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hansa.aggregation.model.InvalidTensorsException;
import dev.hansa.aggregation.model.ModelSpec;
import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.model.Safetensors;
import dev.hansa.aggregation.model.TensorSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategyStateCodecTest {

    static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("conv/w", new int[] {2, 3}), new TensorSpec("b", new int[] {2}));

    static ModelWeights weights(float start) {
        float[] v = new float[SPEC.parameterCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = start + i * 0.25f;
        }
        return new ModelWeights(SPEC, v);
    }

    @Test
    void roundTripsTensorsAndScalarsExactly() {
        StrategyState state = new StrategyState(Map.of("m", weights(1), "v", weights(-3)),
                Map.of("lr", 0.1 * 0.998, "count", 17.0, "tiny", Double.MIN_VALUE));
        StrategyState back = StrategyStateCodec.decode(StrategyStateCodec.encode(state));
        assertEquals(state.scalars(), back.scalars());
        assertEquals(state.tensors().keySet(), back.tensors().keySet());
        for (String key : state.tensors().keySet()) {
            assertEquals(SPEC, back.tensors().get(key).spec(), key);
            assertArrayEquals(state.tensors().get(key).values(), back.tensors().get(key).values(), key);
        }
    }

    @Test
    void equalStatesEncodeToEqualBytes() {
        StrategyState a = new StrategyState(Map.of("m", weights(1), "v", weights(2)), Map.of("x", 1.0, "y", 2.0));
        StrategyState b = new StrategyState(Map.of("v", weights(2), "m", weights(1)), Map.of("y", 2.0, "x", 1.0));
        assertArrayEquals(StrategyStateCodec.encode(a), StrategyStateCodec.encode(b));
    }

    @Test
    void roundTripsTheEmptyStateAndScalarOnlyStates() {
        assertEquals(StrategyState.EMPTY, StrategyStateCodec.decode(StrategyStateCodec.encode(StrategyState.EMPTY)));
        StrategyState scalars = new StrategyState(Map.of(), Map.of("n", 3.0));
        assertEquals(scalars, StrategyStateCodec.decode(StrategyStateCodec.encode(scalars)));
    }

    @Test
    void isReadableAsPlainSafetensorsWithPrefixedNames() {
        byte[] bytes = StrategyStateCodec.encode(new StrategyState(Map.of("h", weights(0)), Map.of()));
        Safetensors.Contents contents = Safetensors.read(bytes);
        assertEquals(java.util.List.of("h/conv/w", "h/b"), contents.weights().spec().names());
    }

    @Test
    void rejectsBytesThatAreNotAState() {
        byte[] model = Safetensors.write(weights(0), Map.of());
        assertThrows(InvalidTensorsException.class, () -> StrategyStateCodec.decode(model));
        assertThrows(InvalidTensorsException.class, () -> StrategyStateCodec.decode(new byte[] {1, 2, 3}));
    }

    @Test
    void rejectsKeysThatCannotBePrefixes() {
        StrategyState bad = new StrategyState(Map.of("a/b", weights(0)), Map.of());
        assertThrows(IllegalArgumentException.class, () -> StrategyStateCodec.encode(bad));
    }
}
