package dev.hansa.aggregation.aggregate;

import dev.hansa.aggregation.aggregate.robust.CoordinateMedian;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Benchmark (not a test) of the round file's layout: n rows of d floats written into a {@link MappedRowStore} one row
 * at a time, as uploads arrive, then read as the whole-round rules read them: every column block of 1024 across all
 * rows (the median's pattern), of 4096 (the Gram matrix's), and one combination of all rows. Once with the file in
 * the page cache, once after dropping it from the cache (GNU {@code sync FILE} and {@code dd iflag=nocache}). For the
 * column-block-major layout the server uses and, for comparison, a row-major file of the same rows. Last, the whole
 * coordinate-wise median over the cached file, to set the reads beside the rule's own work.
 *
 * <pre>java -cp ... dev.hansa.aggregation.aggregate.MappedRowStoreBenchmark [n] [d] [directory] [repetitions]</pre>
 */
public final class MappedRowStoreBenchmark {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int d = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Path dir = Files.createDirectories(Path.of(args.length > 2 ? args[2] : "target/row-store-bench"));
        int repetitions = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        float[][] rows = new float[Math.min(n, 8)][d];
        SplittableRandom random = new SplittableRandom(1);
        for (float[] row : rows) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        System.out.printf(Locale.ROOT, "n %d, d %d, file %.0f MiB; seconds per pass%n", n, d, 4.0 * n * d / (1 << 20));
        System.out.println("layout | write all rows | median blocks (1024), cached | Gram blocks (4096), cached "
                + "| combine, cached | median blocks, cold | combine, cold | whole median, cached");
        for (int rep = 0; rep < repetitions; rep++) {
            for (String layout : new String[] {"column blocks of 1024", "row-major"}) {
                int blockColumns = layout.equals("row-major") ? d : MappedRowStore.BLOCK_COLUMNS;
                double[] cold = new double[2];
                double[] cached = new double[5];
                for (int pass = 0; pass < 2; pass++) {
                    Path file = dir.resolve("rows.bin");
                    try (MappedRowStore store = new MappedRowStore(file, n, d, blockColumns)) {
                        long writing = 0;
                        for (int i = 0; i < n; i++) {
                            float[] values = row(rows, i);
                            long t = System.nanoTime();
                            store.write(i, values);
                            writing += System.nanoTime() - t;
                        }
                        cached[0] += writing / 2e9; // the mean of the two passes
                        // Pages mapped into a process stay cached: drop them before the first mapping.
                        dropFromCache(file);
                        int[] slots = new int[n];
                        Arrays.setAll(slots, i -> i);
                        double[] uniform = new double[n];
                        Arrays.fill(uniform, 1.0 / n);
                        UpdateBatch batch = store.batch(slots, uniform);
                        long t0;
                        if (pass == 0) {
                            cold[0] = sweep(batch, 1024);
                            cached[1] = sweep(batch, 1024);
                            cached[2] = sweep(batch, 4096);
                            t0 = System.nanoTime();
                            batch.combine(uniform);
                            cached[3] = seconds(t0);
                            t0 = System.nanoTime();
                            new CoordinateMedian(0).aggregate(batch);
                            cached[4] = seconds(t0);
                        } else {
                            t0 = System.nanoTime();
                            batch.combine(uniform);
                            cold[1] = seconds(t0);
                        }
                    }
                    Files.delete(file);
                }
                System.out.printf(Locale.ROOT, "%s | %.2f | %.3f | %.3f | %.3f | %.3f | %.3f | %.2f%n", layout,
                        cached[0], cached[1], cached[2], cached[3], cold[0], cold[1], cached[4]);
            }
        }
    }

    /** Row {@code i}: one of a few random rows, shifted by i / 1000 so that every column's values differ. */
    private static float[] row(float[][] rows, int i) {
        float[] base = rows[i % rows.length];
        float[] out = new float[base.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = base[j] + i / 1000f;
        }
        return out;
    }

    /** Reads every block of {@code width} columns across all rows; the seconds it took. */
    private static double sweep(UpdateBatch batch, int width) {
        long t0 = System.nanoTime();
        float[] block = new float[batch.size() * width];
        float sink = 0;
        for (int from = 0; from < batch.dimension(); from += width) {
            int to = Math.min(batch.dimension(), from + width);
            batch.readColumns(from, to, block);
            sink += block[0];
        }
        if (sink == 42) {
            System.out.print("");
        }
        return seconds(t0);
    }

    private static void dropFromCache(Path file) throws IOException, InterruptedException {
        for (String[] command : new String[][] {{"sync", file.toString()},
                {"dd", "if=" + file, "iflag=nocache", "count=0", "status=none"}}) {
            if (new ProcessBuilder(command).inheritIO().start().waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed");
            }
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
