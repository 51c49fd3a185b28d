package dev.hansa.client.training;

import dev.hansa.aggregation.architecture.Architecture;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.data.Dataset;
import dev.hansa.compute.Backend;

/** A built-in architecture the SDK can train: its loss and gradient over local data, and its evaluation. */
public interface TrainableModel {

    Architecture architecture();

    default String name() {
        return architecture().name();
    }

    default ModelSpec spec() {
        return architecture().spec();
    }

    default Tensors initialize(long seed) {
        return architecture().initialize(seed);
    }

    /** The loss over {@code trainData} with its gradient (also clipped per example), buffers on {@code backend}. */
    PerExampleObjective bind(Dataset trainData, Backend backend);

    /** Mean loss and accuracy of {@code weights} on {@code data}. */
    Evaluation evaluate(Tensors weights, Dataset data, Backend backend);
}
