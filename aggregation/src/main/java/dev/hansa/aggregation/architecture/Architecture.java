package dev.hansa.aggregation.architecture;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;

/**
 * A built-in model's shape: its tensors and their seeded initialisation. What the server needs to create a
 * federation and validate updates; the SDK's trainable models add the forward and backward passes.
 */
public interface Architecture {

    /** Registry name, e.g. {@code mlp}. */
    String name();

    ModelSpec spec();

    /** The initial values for {@code seed}; the same seed gives the same values everywhere. */
    Tensors initialize(long seed);
}
