package dev.hansa.aggregation.random;

import java.util.SplittableRandom;

/**
 * Stream speed of {@link Philox} against {@link SplittableRandom}, 10^6 elements per pass (a command, not a test):
 * {@code java -cp aggregation/target/classes:aggregation/target/test-classes:<commons-rng jars>
 * dev.hansa.aggregation.random.PhiloxBench}. Prints the best of 50 passes per recipe.
 */
public final class PhiloxBench {

    private static final int N = 1_000_000;

    private PhiloxBench() {
    }

    public static void main(String[] args) {
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            long words = Long.MAX_VALUE;
            long floats = Long.MAX_VALUE;
            long ints = Long.MAX_VALUE;
            long splittable = Long.MAX_VALUE;
            for (int pass = 0; pass < 50; pass++) {
                long t0 = System.nanoTime();
                Philox p = Philox.stream(pass, 1);
                for (int i = 0; i < N; i++) {
                    sink += p.nextWord();
                }
                long t1 = System.nanoTime();
                Philox f = Philox.stream(pass, 2);
                for (int i = 0; i < N; i++) {
                    sink += (long) (f.nextFloat() * 8);
                }
                long t2 = System.nanoTime();
                Philox b = Philox.stream(pass, 3);
                for (int i = 0; i < N; i++) {
                    sink += b.nextInt(N - i);
                }
                long t3 = System.nanoTime();
                SplittableRandom s = new SplittableRandom(pass);
                for (int i = 0; i < N; i++) {
                    sink += s.nextInt();
                }
                long t4 = System.nanoTime();
                words = Math.min(words, t1 - t0);
                floats = Math.min(floats, t2 - t1);
                ints = Math.min(ints, t3 - t2);
                splittable = Math.min(splittable, t4 - t3);
            }
            System.out.printf("10^6 elements, best of 50: Philox words %.2f ms, floats %.2f ms, ints in [0,n) %.2f ms;"
                    + " SplittableRandom.nextInt %.2f ms%n", words / 1e6, floats / 1e6, ints / 1e6, splittable / 1e6);
        }
        System.out.println(sink == 42 ? "" : "(sink " + (sink & 1) + ")");
    }
}
