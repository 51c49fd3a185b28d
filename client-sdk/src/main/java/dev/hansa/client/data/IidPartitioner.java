package dev.hansa.client.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Shuffles all samples and deals them into near-equal contiguous chunks (sizes differ by at most one). */
public final class IidPartitioner implements Partitioner {

    @Override
    public List<int[]> split(Dataset data, int clients, long seed) {
        Partitioner.checkClients(data, clients);
        int[] order = Shuffle.permutation(data.size(), new SplittableRandom(seed));
        List<int[]> parts = new ArrayList<>(clients);
        for (int c = 0; c < clients; c++) {
            int from = (int) ((long) c * data.size() / clients);
            int to = (int) ((long) (c + 1) * data.size() / clients);
            int[] part = Arrays.copyOfRange(order, from, to);
            Arrays.sort(part);
            parts.add(part);
        }
        return parts;
    }
}
