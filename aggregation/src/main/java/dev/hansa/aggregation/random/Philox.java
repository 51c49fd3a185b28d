package dev.hansa.aggregation.random;

import org.apache.commons.rng.core.source32.Philox4x32;

/**
 * The shared counter-based stream: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
 * SC 2011; Random123), through Apache Commons RNG 1.7. Every stream two parties must reproduce bit for bit (rand-k
 * indices, and later perturbation directions) comes from here; docs/algorithms.md ("Shared randomness") is the
 * specification and {@code aggregation/bin/philox_reference.py} regenerates the same streams with numpy alone.
 *
 * <p>A stream is named by a 64-bit {@code seed} and a 64-bit {@code stream} id: key {@code (k0, k1)} = (seed low,
 * seed high), counter {@code (c0, c1, c2, c3)} = (b low, b high, stream low, stream high) for block b = 0, 1, ...;
 * word i of the stream is word {@code i mod 4} of block {@code i / 4} (cuRAND's {@code curand_init(seed, stream, 0)}
 * order). Commons RNG increments its counter before each block, so it is seeded with the counter one below block 0.
 *
 * <p>Recipes, each on the next word(s) in order: {@link #nextInt(int)} (Lemire's multiply-shift with rejection, no
 * modulo bias), {@link #nextFloat()} ({@code (w >>> 8) 2^-24}), {@link #nextDouble()} (Commons RNG's
 * {@code makeDouble}: 26 + 27 bits of two words), {@link #nextSign()} (exact Rademacher: -1 when the top bit is set),
 * {@link #nextGaussians} (Box-Muller; bit-exact only between JVMs).
 * Not for cryptography (Random123's own warning): never for secure-aggregation masks.
 */
public final class Philox {

    private final Philox4x32 words;

    private Philox(int k0, int k1, int c0, int c1, int c2, int c3) {
        // 128-bit counter minus one, low word first: Commons RNG pre-increments before producing a block.
        int[] state = {k0, k1, c0 - 1, c1, c2, c3};
        if (c0 == 0) {
            state[3] = c1 - 1;
            if (c1 == 0) {
                state[4] = c2 - 1;
                if (c2 == 0) {
                    state[5] = c3 - 1;
                }
            }
        }
        this.words = new Philox4x32(state);
    }

    /** The stream {@code (seed, stream)} from its first word. */
    public static Philox stream(long seed, long stream) {
        return new Philox((int) seed, (int) (seed >>> 32), 0, 0, (int) stream, (int) (stream >>> 32));
    }

    /** The raw generator from counter block {@code (c0, c1, c2, c3)} under key {@code (k0, k1)}: for known answers. */
    static Philox atBlock(int k0, int k1, int c0, int c1, int c2, int c3) {
        return new Philox(k0, k1, c0, c1, c2, c3);
    }

    /** The next 32-bit word of the stream. */
    public int nextWord() {
        return words.nextInt();
    }

    /**
     * An integer uniform on {@code [0, n)}, {@code 1 <= n <= 2^31 - 1}: Lemire's "Fast random integer generation in an
     * interval" (2019): {@code m = w * n} as 64-bit unsigned; reject while the low 32 bits are below
     * {@code 2^32 mod n}, each rejection consuming the next word; return {@code m >>> 32}.
     */
    public int nextInt(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("the bound must be positive: " + n);
        }
        long m = Integer.toUnsignedLong(nextWord()) * n;
        if ((m & 0xffffffffL) < n) {
            long threshold = (1L << 32) % n;
            while ((m & 0xffffffffL) < threshold) {
                m = Integer.toUnsignedLong(nextWord()) * n;
            }
        }
        return (int) (m >>> 32);
    }

    /** A float uniform on [0, 1) from the top 24 bits of one word. */
    public float nextFloat() {
        return (nextWord() >>> 8) * 0x1.0p-24f;
    }

    /** A double uniform on [0, 1): the top 26 bits of one word then the top 27 of the next. */
    public double nextDouble() {
        long high = (nextWord() >>> 6) & 0x3ffffffL;
        long low = (nextWord() >>> 5) & 0x7ffffffL;
        return ((high << 27) | low) * 0x1.0p-53;
    }

    /**
     * Fills {@code out} with standard normals by Box-Muller on two {@link #nextDouble()} values per pair, as
     * PHILOX.md recommends: with m1, m2 their 53-bit integers, {@code u1 = (m1 + 1/2) 2^-53} (never 0),
     * {@code u2 = m2 2^-53}, {@code r = sqrt(-2 ln u1)}, the pair is {@code (r cos 2 pi u2, r sin 2 pi u2)}; an odd
     * length drops the last sine. {@link StrictMath} (fdlibm) makes it bit-identical on every JVM; other runtimes'
     * {@code log}, {@code cos}, {@code sin} differ in the last bits (numpy on glibc: within 4 ulp), so where both
     * sides need the same bits use {@link #nextSign()} instead.
     */
    public void nextGaussians(double[] out) {
        for (int i = 0; i < out.length; i += 2) {
            double u1 = nextDouble() + 0x1.0p-54;
            double angle = 2 * Math.PI * nextDouble();
            double r = StrictMath.sqrt(-2 * StrictMath.log(u1));
            out[i] = r * StrictMath.cos(angle);
            if (i + 1 < out.length) {
                out[i + 1] = r * StrictMath.sin(angle);
            }
        }
    }

    /** +1 or -1 with probability 1/2 each, exactly: the sign of one word read as two's complement. */
    public int nextSign() {
        return nextWord() < 0 ? -1 : 1;
    }
}
