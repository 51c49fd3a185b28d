package dev.hansa.aggregation.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArchitecturesTest {

    private static Map<String, Object> mlp(int input, List<Integer> hidden, int classes) {
        return Map.of("inputSize", input, "hiddenLayers", hidden, "numClasses", classes);
    }

    private static String refusal(String name, Map<String, ?> params) {
        return assertThrows(IllegalArgumentException.class, () -> Architectures.parameterCount(name, params))
                .getMessage();
    }

    @Test
    void parameterCountIsTheBuiltModelsCount() {
        for (Map<String, Object> params : List.of(mlp(784, List.of(200), 10), mlp(3, List.of(5, 1, 7), 2),
                mlp(1, List.of(), 2))) {
            assertEquals(Architectures.create("mlp", params).spec().parameterCount(),
                    Architectures.parameterCount("mlp", params));
        }
        // 784*10 + 10, by hand.
        assertEquals(7_850, Architectures.parameterCount("softmax", Map.of("inputSize", 784, "numClasses", 10)));
    }

    @Test
    void aModelTooLargeToHoldIsRefusedBeforeAnythingIsAllocated() {
        // 2^20 * 2^20 + 2^20 + 2^20 * 2 + 2 parameters: the old code overflowed a tensor's int element count.
        String huge = refusal("mlp", mlp(1 << 20, List.of(1 << 20), 2));
        assertTrue(huge.startsWith("model.params: a mlp with layer widths [1048576, 1048576, 2] has 1099514773506 "
                + "parameters, more than the 500000000"), huge);
        // 1048576*1400 + 1400 + 1400*2 + 2 = 1.47e9 parameters fit a Java array, but not 4 bytes each in any default heap: refused as well.
        String large = refusal("mlp", mlp(1 << 20, List.of(1400), 2));
        assertTrue(large.contains("has 1468010602 parameters"), large);
        String deep = refusal("mlp", mlp(4, Collections.nCopies(1001, 4), 2));
        assertTrue(deep.startsWith("model.params.hiddenLayers holds 1001 layers"), deep);
        assertEquals(1000 * 20 + 10, Architectures.parameterCount("mlp", mlp(4, Collections.nCopies(1000, 4), 2)));
    }

    @Test
    void badValuesNameTheField() {
        assertTrue(refusal(null, Map.of()).startsWith("model.architecture"));
        assertTrue(refusal("mlp", mlp(0, List.of(2), 2)).startsWith("model.params.inputSize"));
        assertTrue(refusal("mlp", mlp(2, List.of(2), 1)).startsWith("model.params.numClasses"));
        assertTrue(refusal("mlp", Map.of("inputSize", 2, "hiddenLayers", List.of(2, 2.5), "numClasses", 2))
                .startsWith("model.params.hiddenLayers[1]"));
        assertTrue(refusal("mlp", Map.of("inputSize", 2, "hiddenLayers", 2, "numClasses", 2))
                .startsWith("model.params.hiddenLayers must be a list"));
        assertTrue(refusal("softmax", Map.of("inputSize", 1e300, "numClasses", 2)).startsWith("model.params.inputSize"));
    }
}
