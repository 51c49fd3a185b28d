package dev.hansa.client.training;

import dev.hansa.aggregation.architecture.Architecture;
import dev.hansa.aggregation.architecture.Architectures;
import dev.hansa.aggregation.architecture.ConvArchitecture;
import dev.hansa.aggregation.architecture.DenseArchitecture;
import java.util.Map;

/** The SDK's trainer for each built-in architecture. */
public final class TrainableModels {

    private TrainableModels() {
    }

    /** The trainable model of architecture {@code name} with JSON-shaped {@code params} (see {@link Architectures}). */
    public static TrainableModel create(String name, Map<String, ?> params) {
        return of(Architectures.create(name, params));
    }

    public static TrainableModel of(Architecture architecture) {
        if (architecture instanceof DenseArchitecture dense) {
            return new DenseNetwork(dense);
        }
        if (architecture instanceof ConvArchitecture conv) {
            return new ConvNetwork(conv);
        }
        throw new IllegalArgumentException("no trainer for architecture " + architecture.name());
    }
}
