package dev.hansa.client.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * ByzFL's gamma-similarity split ({@code gamma_similarity_niid}, {@code DataDistributor.gamma_niid_idx}): a random
 * fraction gamma of the samples is dealt IID, the rest is sorted by label and cut into contiguous equal chunks, one
 * per client, so gamma = 1 is IID and gamma = 0 hands each client a run of the label-sorted data (about one class
 * each when there are as many clients as classes).
 */
public final class GammaSimilarityPartitioner implements Partitioner {

    private final double gamma;

    public GammaSimilarityPartitioner(double gamma) {
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("partition gamma must be in [0, 1]: " + gamma);
        }
        this.gamma = gamma;
    }

    @Override
    public List<int[]> split(Dataset data, int clients, long seed) {
        Partitioner.checkClients(data, clients);
        int[] order = Shuffle.permutation(data.size(), new SplittableRandom(seed));
        int similar = (int) (data.size() * gamma);
        int[] iid = Arrays.copyOfRange(order, 0, similar);
        // Stable sort by label keeps the shuffled order within a class, so the split depends only on the seed.
        int[] sorted = IntStream.of(Arrays.copyOfRange(order, similar, order.length)).boxed()
                .sorted(Comparator.comparingInt(data::label)).mapToInt(Integer::intValue).toArray();
        List<int[]> parts = new ArrayList<>(clients);
        for (int c = 0; c < clients; c++) {
            int[] a = chunk(iid, c, clients);
            int[] b = chunk(sorted, c, clients);
            int[] part = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, part, a.length, b.length);
            Arrays.sort(part);
            parts.add(part);
        }
        return parts;
    }

    /** Chunk {@code c} of {@code clients} near-equal contiguous chunks of {@code values}. */
    private static int[] chunk(int[] values, int c, int clients) {
        return Arrays.copyOfRange(values, (int) ((long) c * values.length / clients),
                (int) ((long) (c + 1) * values.length / clients));
    }
}
