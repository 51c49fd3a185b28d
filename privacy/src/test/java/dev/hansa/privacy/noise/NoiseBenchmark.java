package dev.hansa.privacy.noise;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * Benchmark (not a test): seconds to add noise to a vector of d coordinates (a round's sum), with system-seeded bits,
 * after warm-up rounds; and the raw bit rates of {@link SecureBits} (ChaCha20) and of {@link SecureRandom} beside it.
 *
 * <pre>
 * java -cp privacy/target/classes:privacy/target/test-classes dev.hansa.privacy.noise.NoiseBenchmark [d] [reps]
 * </pre>
 */
public final class NoiseBenchmark {

    public static void main(String[] args) {
        int d = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        GaussianNoise noise = GaussianNoise.secure();
        GaussianNoise.Calibration calibration = GaussianNoise.calibrate(1.0, 1.0, d);
        double[] sum = new double[d];
        for (int i = 0; i < 2; i++) {
            noise.add(sum, calibration);
        }
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            noise.add(sum, calibration);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "d %d: %.3f s, %.2f million samples/s%n", d, s, d / s / 1e6);
        }
        SecureBits bits = SecureBits.fromSystem();
        long t0 = System.nanoTime();
        long x = 0;
        int words = 20_000_000;
        for (int i = 0; i < words; i++) {
            x ^= bits.nextLong();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "ChaCha20 bits: %.0f MB/s (%d)%n", 8.0 * words / s / 1e6, x & 1);
        SecureRandom system = new SecureRandom();
        byte[] block = new byte[1 << 16];
        int blocks = 2_000;
        t0 = System.nanoTime();
        for (int i = 0; i < blocks; i++) {
            system.nextBytes(block);
        }
        s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "SecureRandom (%s) nextBytes: %.0f MB/s%n", system.getAlgorithm(),
                (double) block.length * blocks / s / 1e6);
    }
}
