package dev.hansa.client.simulation;

import dev.hansa.client.data.Dataset;
import dev.hansa.client.data.FashionMnist;
import dev.hansa.client.data.Partitioner;
import dev.hansa.client.data.SyntheticDataset;
import java.util.List;
import java.util.function.Consumer;

/**
 * A benchmark dataset split among clients: Fashion-MNIST partitioned by a {@link Partitioner}, or FedProx's
 * Synthetic(alpha, beta) whose users are the clients. Used by the simulation and the demo federation alike.
 *
 * @param clients   each client's training data
 * @param test      the global test set the server-side evaluation uses
 * @param name      what was loaded, for progress output
 */
public record FederatedData(List<Dataset> clients, Dataset test, String name) {

    public int featureCount() {
        return test.featureCount();
    }

    public int numClasses() {
        return test.numClasses();
    }

    /**
     * Loads {@code dataset} ({@code fashion-mnist} or {@code synthetic}); when Fashion-MNIST is not installed, says so
     * through {@code notice} and falls back to Synthetic(1, 1).
     */
    public static FederatedData load(String dataset, String partition, int clients, double syntheticAlpha,
                                     double syntheticBeta, long seed, Consumer<String> notice) {
        if (dataset.equals("fashion-mnist")) {
            var splits = FashionMnist.load();
            if (splits.isPresent()) {
                Dataset train = splits.get().train();
                List<Dataset> parts = Partitioner.parse(partition).split(train, clients, seed).stream()
                        .map(train::subset).toList();
                return new FederatedData(parts, splits.get().test(), "Fashion-MNIST, " + partition + ", " + clients + " clients");
            }
            notice.accept("Fashion-MNIST not found (install the Debian package dataset-fashion-mnist or set "
                    + "HANSA_FASHION_MNIST_DIR); using Synthetic(1,1) instead");
            syntheticAlpha = 1;
            syntheticBeta = 1;
        } else if (!dataset.equals("synthetic")) {
            throw new IllegalArgumentException("dataset must be fashion-mnist or synthetic: " + dataset);
        }
        var users = SyntheticDataset.generate(syntheticAlpha, syntheticBeta, clients, false, seed);
        return new FederatedData(users.stream().map(SyntheticDataset.UserData::train).toList(),
                SyntheticDataset.pooledTest(users),
                "Synthetic(" + syntheticAlpha + "," + syntheticBeta + "), " + clients + " users");
    }
}
