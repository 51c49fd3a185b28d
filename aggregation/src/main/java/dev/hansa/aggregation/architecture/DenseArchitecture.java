package dev.hansa.aggregation.architecture;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A stack of fully connected layers (ReLU between them, softmax cross-entropy on top in the SDK's trainer): softmax
 * regression (no hidden layer) and the MLP. Tensors follow PyTorch's {@code nn.Linear}: {@code <layer>.weight} is
 * [out, in], {@code <layer>.bias} is [out], so a downloaded model loads into torch directly.
 *
 * <p>Initialisation matches {@code nn.Linear}'s default ({@link TorchInit}), tensor by tensor in spec order.
 */
public final class DenseArchitecture implements Architecture {

    private final String name;
    private final int[] widths;
    private final String[] layerNames;
    private final ModelSpec spec;

    private DenseArchitecture(String name, int[] widths, String[] layerNames) {
        this.name = name;
        this.widths = widths.clone();
        this.layerNames = layerNames.clone();
        List<TensorSpec> tensors = new ArrayList<>();
        for (int l = 0; l < layerNames.length; l++) {
            tensors.add(new TensorSpec(layerNames[l] + ".weight", new int[] {widths[l + 1], widths[l]}));
            tensors.add(new TensorSpec(layerNames[l] + ".bias", new int[] {widths[l + 1]}));
        }
        this.spec = new ModelSpec(tensors);
    }

    public static DenseArchitecture softmaxRegression(int inputs, int classes) {
        return new DenseArchitecture("softmax", new int[] {inputs, classes}, new String[] {"linear"});
    }

    public static DenseArchitecture mlp(int inputs, int[] hidden, int classes) {
        int[] widths = new int[hidden.length + 2];
        widths[0] = inputs;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = classes;
        String[] names = new String[hidden.length + 1];
        for (int l = 0; l < names.length; l++) {
            names[l] = "fc" + (l + 1);
        }
        return new DenseArchitecture("mlp", widths, names);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    /** Layer widths from input to output. */
    public int[] widths() {
        return widths.clone();
    }

    /** Layer names ({@code fc1}, ...), one per weight matrix. */
    public String[] layerNames() {
        return layerNames.clone();
    }

    @Override
    public Tensors initialize(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[spec.parameterCount()];
        int at = 0;
        for (int l = 0; l < layerNames.length; l++) {
            at = TorchInit.layer(values, at, widths[l + 1], widths[l], random);
        }
        return new Tensors(spec, values);
    }
}
