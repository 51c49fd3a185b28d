package dev.hansa.client.data;

import java.util.List;

/** Splits a dataset's sample indices among clients; deterministic for a seed, every sample assigned exactly once. */
public interface Partitioner {

    /** One index array per client, each sorted ascending. */
    List<int[]> split(Dataset data, int clients, long seed);

    /** Parses {@code iid}, {@code dirichlet:ALPHA}, {@code shards:PER_CLIENT} or {@code gamma:GAMMA} (ByzFL's). */
    static Partitioner parse(String spec) {
        String[] parts = spec.split(":", 2);
        return switch (parts[0]) {
            case "iid" -> new IidPartitioner();
            case "dirichlet" -> new DirichletPartitioner(parts.length > 1 ? Double.parseDouble(parts[1]) : 0.5, 10);
            case "shards" -> new ShardPartitioner(parts.length > 1 ? Integer.parseInt(parts[1]) : 2);
            case "gamma" -> new GammaSimilarityPartitioner(parts.length > 1 ? Double.parseDouble(parts[1]) : 0.5);
            default -> throw new IllegalArgumentException("partition: unknown scheme '" + spec
                    + "'; use iid, dirichlet:ALPHA, shards:PER_CLIENT or gamma:GAMMA");
        };
    }

    static void checkClients(Dataset data, int clients) {
        if (clients < 1 || clients > data.size()) {
            throw new IllegalArgumentException("clients must be in [1, " + data.size() + "]: " + clients);
        }
    }
}
