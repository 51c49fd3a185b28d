package dev.hansa.client.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * McMahan et al.'s pathological non-IID split: sort samples by label, cut them into {@code clients x shardsPerClient}
 * equal shards and give each client {@code shardsPerClient} shards chosen at random.
 */
public final class ShardPartitioner implements Partitioner {

    private final int shardsPerClient;

    public ShardPartitioner(int shardsPerClient) {
        if (shardsPerClient < 1) {
            throw new IllegalArgumentException("shardsPerClient must be >= 1: " + shardsPerClient);
        }
        this.shardsPerClient = shardsPerClient;
    }

    @Override
    public List<int[]> split(Dataset data, int clients, long seed) {
        Partitioner.checkClients(data, clients);
        int shards = clients * shardsPerClient;
        if (shards > data.size()) {
            throw new IllegalArgumentException(shards + " shards exceed " + data.size() + " samples");
        }
        // Stable sort by label keeps the order within a class, so the split depends only on the seed.
        int[] sorted = IntStream.range(0, data.size()).boxed()
                .sorted(Comparator.comparingInt(data::label)).mapToInt(Integer::intValue).toArray();
        int[] shardOrder = Shuffle.permutation(shards, new SplittableRandom(seed));
        List<int[]> parts = new ArrayList<>(clients);
        for (int c = 0; c < clients; c++) {
            List<int[]> pieces = new ArrayList<>();
            int size = 0;
            for (int s = 0; s < shardsPerClient; s++) {
                int shard = shardOrder[c * shardsPerClient + s];
                int from = (int) ((long) shard * data.size() / shards);
                int to = (int) ((long) (shard + 1) * data.size() / shards);
                pieces.add(Arrays.copyOfRange(sorted, from, to));
                size += to - from;
            }
            int[] part = new int[size];
            int at = 0;
            for (int[] piece : pieces) {
                System.arraycopy(piece, 0, part, at, piece.length);
                at += piece.length;
            }
            Arrays.sort(part);
            parts.add(part);
        }
        return parts;
    }
}
