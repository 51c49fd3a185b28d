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

    private static Map<String, Object> cnn(int channels, int height, int width, List<Integer> blocks, int kernel,
                                           List<Integer> hidden, int classes) {
        return Map.of("inputChannels", channels, "inputHeight", height, "inputWidth", width, "convChannels", blocks,
                "kernelSize", kernel, "hiddenLayers", hidden, "numClasses", classes);
    }

    @Test
    void theCnnIsByzflsMnistNetworkInPyTorchsLayout() {
        Map<String, Object> params = cnn(1, 28, 28, List.of(20, 50), 5, List.of(500), 10);
        // conv1 20*(1*25+1), conv2 50*(20*25+1), fc1 500*(50*4*4+1), fc2 10*(500+1), by hand: 28 -> 24 -> 12 -> 8 -> 4.
        assertEquals(520 + 25_050 + 400_500 + 5_010, Architectures.parameterCount("cnn", params));
        Architecture built = Architectures.create("cnn", params);
        assertEquals(ConvArchitecture.mnist(new int[] {500}, 10).spec(), built.spec());
        assertEquals(List.of("conv1.weight [20, 1, 5, 5]", "conv1.bias [20]", "conv2.weight [50, 20, 5, 5]",
                "conv2.bias [50]", "fc1.weight [500, 800]", "fc1.bias [500]", "fc2.weight [10, 500]", "fc2.bias [10]"),
                built.spec().tensors().stream().map(t -> t.name() + " " + java.util.Arrays.toString(t.shape()))
                        .toList());
        // Odd sides floor at the pooling, as torch's max_pool2d: 15 x 11 -> 13 x 9 -> 6 x 4 -> 4 x 2 -> 2 x 1.
        ConvArchitecture odd = (ConvArchitecture) Architectures.create("cnn", cnn(3, 15, 11, List.of(4, 6), 3,
                List.of(), 5));
        assertEquals(6 * 2 * 1, odd.denseWidths()[0]);
        assertEquals(4 * 28 + 6 * 37 + 5 * 13, odd.spec().parameterCount());
    }

    @Test
    void theCnnsInitialisationIsTorchsBoundPerLayerAndTheSameForTheSameSeed() {
        ConvArchitecture net = ConvArchitecture.mnist(new int[] {500}, 10);
        float[] values = net.initialize(7).values();
        assertArrayEqualsBits(values, net.initialize(7).values());
        int[] fanIns = {25, 25, 500, 500, 800, 800, 500, 500};
        int at = 0;
        for (int t = 0; t < fanIns.length; t++) {
            int count = net.spec().tensors().get(t).elementCount();
            double bound = 1 / Math.sqrt(fanIns[t]);
            double largest = 0;
            for (int i = at; i < at + count; i++) {
                largest = Math.max(largest, Math.abs(values[i]));
            }
            assertTrue(largest <= bound && largest > 0.9 * bound, "tensor " + t + ": " + largest + " vs " + bound);
            at += count;
        }
    }

    private static void assertArrayEqualsBits(float[] want, float[] got) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]), "at " + i);
        }
    }

    @Test
    void aCnnThatCannotBeBuiltIsRefusedNamingTheField() {
        String small = refusal("cnn", cnn(1, 28, 28, List.of(20, 50, 80), 5, List.of(), 10));
        assertTrue(small.startsWith("model.params.kernelSize: conv block 3 gets a 4 x 4 input, too small for a 5 x 5"),
                small);
        String wide = refusal("cnn", cnn(3, 1024, 1024, List.of(4), 3, List.of(), 10));
        assertTrue(wide.startsWith("model.params: inputChannels x inputHeight x inputWidth is 3145728"), wide);
        assertTrue(refusal("cnn", cnn(1, 28, 28, List.of(), 5, List.of(), 10))
                .startsWith("model.params.convChannels must list at least one block"));
        assertTrue(refusal("cnn", cnn(1, 28, 28, List.of(20, 0), 5, List.of(), 10))
                .startsWith("model.params.convChannels[1]"));
        assertTrue(refusal("cnn", Map.of("inputChannels", 1, "inputHeight", 28, "inputWidth", 28,
                "convChannels", List.of(2), "kernelSize", 5, "hiddenLayers", List.of(), "numClasses", 10,
                "inputSize", 784)).startsWith("model.params.inputSize: unknown parameter for architecture 'cnn'"));
        assertTrue(refusal("cnn", Map.of("inputChannels", 1, "inputHeight", 28, "inputWidth", 28,
                "convChannels", List.of(2), "hiddenLayers", List.of(), "numClasses", 10))
                .startsWith("model.params.kernelSize is required"));
        // 2^20 channels twice: 2^20 * (2^20 * 9 + 1) weights in the second block.
        String huge = refusal("cnn", cnn(1, 16, 16, List.of(1 << 20, 1 << 20), 3, List.of(), 2));
        assertTrue(huge.startsWith("model.params: this cnn has "), huge);
    }
}
