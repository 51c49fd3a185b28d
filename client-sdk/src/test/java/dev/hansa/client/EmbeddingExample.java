package dev.hansa.client;

import dev.hansa.client.data.Dataset;
import dev.hansa.client.training.TrainableModel;
import dev.hansa.client.training.TrainableModels;
import dev.hansa.compute.Backend;
import dev.hansa.compute.Backends;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The README's "embed the SDK" example, compiled with the tests so it cannot rot: an app joins a federation with a
 * built-in MLP on its own data. Run it against a server with
 * {@code HANSA_SERVER=http://127.0.0.1:8080 HANSA_ENROLLMENT_TOKEN=he_... java ... dev.hansa.client.EmbeddingExample}.
 */
public final class EmbeddingExample {

    private EmbeddingExample() {
    }

    public static void main(String[] args) throws InterruptedException {
        float[] features = new float[100 * 784];  // this site's data: 100 samples of 784 features, row-major
        int[] labels = new int[100];              // their classes in [0, 10)

        Backend backend = Backends.fromEnvironment();          // cuda if a GPU is found, else the Vector API CPU backend
        TrainableModel mlp = TrainableModels.create("mlp",
                Map.of("inputSize", 784, "hiddenLayers", List.of(200), "numClasses", 10));
        Dataset local = new Dataset(features, labels, 784, 10);
        LocalTrainer trainer = new BuiltInTrainer(mlp, local, null, backend);

        HansaClientConfig config = HansaClientConfig.of(URI.create(System.getenv("HANSA_SERVER")),
                System.getenv("HANSA_ENROLLMENT_TOKEN"), Path.of("hansa-client-state"), "clinic-7");
        try (HansaClient client = new HansaClient(config, trainer)) {
            client.run();                                        // or client.step() from your own scheduler
        }
    }
}
