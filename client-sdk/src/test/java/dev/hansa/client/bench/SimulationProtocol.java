package dev.hansa.client.bench;

import dev.hansa.aggregation.random.Seeds;
import dev.hansa.aggregation.sampling.ClientSampler;
import dev.hansa.aggregation.sampling.Samplers;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.data.FashionMnist;
import dev.hansa.client.data.Partitioner;
import dev.hansa.client.simulation.SimulationRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes what {@code hansa simulate} does with Fashion-MNIST before any training, as JSON, so that a yardstick in
 * another framework (client-sdk/bin/torch_fedavg.py) runs the same protocol: each client's training-sample indices
 * (the partition {@code simulate --partition} draws for {@code --seed}) and each round's participants (the uniform
 * sampler with the round seeds, as {@code RoundProtocol} draws them), as client numbers.
 *
 * <p>Usage: {@code SimulationProtocol OUT.json CLIENTS PER_ROUND ROUNDS PARTITION SEED}.
 */
public final class SimulationProtocol {

    private SimulationProtocol() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 6) {
            throw new IllegalArgumentException("usage: SimulationProtocol OUT.json CLIENTS PER_ROUND ROUNDS PARTITION SEED");
        }
        Path out = Path.of(args[0]);
        int clients = Integer.parseInt(args[1]);
        int perRound = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        String partition = args[4];
        long seed = Long.parseLong(args[5]);
        Dataset train = FashionMnist.load().orElseThrow(() -> new IllegalStateException(
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)")).train();
        List<int[]> parts = Partitioner.parse(partition).split(train, clients, seed);
        // The same ids, sampler and round seeds as simulate (its default sampler, client fraction perRound/clients;
        // RoundProtocol.open draws attempt 1 of every round).
        List<String> ids = new ArrayList<>(SimulationRunner.numbered(Collections.nCopies(clients, train)).keySet());
        ClientSampler sampler = Samplers.create(Samplers.UNIFORM, (double) perRound / clients, perRound, perRound);
        Map<String, Integer> number = ids.stream().collect(Collectors.toMap(id -> id, ids::indexOf));
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            w.println("{\"clients\": [");
            for (int c = 0; c < parts.size(); c++) {
                w.println(Arrays.toString(parts.get(c)) + (c + 1 < parts.size() ? "," : ""));
            }
            w.println("], \"rounds\": [");
            for (int round = 1; round <= rounds; round++) {
                List<String> chosen = sampler.sample(ids, Seeds.forRound(seed, round, 1));
                w.println(chosen.stream().map(number::get).toList() + (round < rounds ? "," : ""));
            }
            w.println("]}");
        }
    }
}
