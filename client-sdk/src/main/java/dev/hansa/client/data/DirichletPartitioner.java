package dev.hansa.client.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Label skew by a per-class Dirichlet over clients (Yurochkin et al. 2019; NIID-Bench; FedAMD's data_utils): for
 * each class, shuffle its samples, draw p ~ Dir_N(alpha), zero the share of clients already holding n/N samples
 * (the balance cap), renormalise and cut the class at the cumulative shares. Redraw everything until every client
 * holds at least {@code minSize} samples. Smaller alpha means more skew; client sizes are unequal.
 */
public final class DirichletPartitioner implements Partitioner {

    private static final int MAX_ATTEMPTS = 1000;
    private final double alpha;
    private final int minSize;

    public DirichletPartitioner(double alpha, int minSize) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite and > 0: " + alpha);
        }
        if (minSize < 0) {
            throw new IllegalArgumentException("minSize must be >= 0: " + minSize);
        }
        this.alpha = alpha;
        this.minSize = minSize;
    }

    @Override
    public List<int[]> split(Dataset data, int clients, long seed) {
        Partitioner.checkClients(data, clients);
        if ((long) minSize * clients > data.size()) {
            throw new IllegalArgumentException("minSize " + minSize + " x " + clients + " clients exceeds " + data.size() + " samples");
        }
        int[][] byClass = indicesByClass(data);
        SplittableRandom random = new SplittableRandom(seed);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            List<List<Integer>> parts = draw(byClass, clients, data.size(), random);
            if (parts.stream().allMatch(p -> p.size() >= minSize)) {
                List<int[]> out = new ArrayList<>(clients);
                for (List<Integer> p : parts) {
                    int[] a = p.stream().mapToInt(Integer::intValue).toArray();
                    Arrays.sort(a);
                    out.add(a);
                }
                return out;
            }
        }
        throw new IllegalStateException("no Dirichlet(" + alpha + ") split gave every client " + minSize
                + " samples in " + MAX_ATTEMPTS + " attempts; lower minSize or the number of clients");
    }

    private List<List<Integer>> draw(int[][] byClass, int clients, int total, SplittableRandom random) {
        List<List<Integer>> parts = new ArrayList<>(clients);
        for (int c = 0; c < clients; c++) {
            parts.add(new ArrayList<>());
        }
        double cap = (double) total / clients;
        for (int[] classIndices : byClass) {
            int[] idx = classIndices.clone();
            Shuffle.shuffle(idx, random);
            double[] p = GammaSampler.dirichlet(alpha, clients, random);
            double sum = 0;
            for (int c = 0; c < clients; c++) {
                if (parts.get(c).size() >= cap) {
                    p[c] = 0;
                }
                sum += p[c];
            }
            if (sum == 0) {
                Arrays.fill(p, 1.0 / clients);
                sum = 1;
            }
            double cumulative = 0;
            int start = 0;
            for (int c = 0; c < clients; c++) {
                cumulative += p[c] / sum;
                int end = c == clients - 1 ? idx.length : (int) Math.min(idx.length, Math.round(cumulative * idx.length));
                for (int i = start; i < end; i++) {
                    parts.get(c).add(idx[i]);
                }
                start = Math.max(start, end);
            }
        }
        return parts;
    }

    private static int[][] indicesByClass(Dataset data) {
        int[] counts = data.classCounts();
        int[][] byClass = new int[counts.length][];
        int[] fill = new int[counts.length];
        for (int k = 0; k < counts.length; k++) {
            byClass[k] = new int[counts[k]];
        }
        for (int i = 0; i < data.size(); i++) {
            int k = data.label(i);
            byClass[k][fill[k]++] = i;
        }
        return byClass;
    }
}
