package dev.hansa.client.model;

import dev.hansa.aggregation.model.ModelSpec;
import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.strategy.GradientModel;
import dev.hansa.client.data.Dataset;
import dev.hansa.compute.Backend;

/** A built-in trainable model: its tensors, its seeded initialisation, its loss gradient and its evaluation. */
public interface ModelArchitecture {

    /** Registry name, e.g. {@code mlp}. */
    String name();

    ModelSpec spec();

    /** The initial weights for {@code seed}; the same seed gives the same weights everywhere. */
    ModelWeights initialize(long seed);

    /** A gradient oracle over {@code trainData} whose buffers live on {@code backend}. */
    GradientModel bind(Dataset trainData, Backend backend);

    /** Mean loss and accuracy of {@code weights} on {@code data}. */
    Evaluation evaluate(ModelWeights weights, Dataset data, Backend backend);
}
