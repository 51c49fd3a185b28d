package dev.hansa.privacy.noise;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Uniform random bits for noise, from a ChaCha20 keystream in Bernstein's "fast-key-erasure" construction: each
 * refill encrypts zeros under the current key and nonce 0, keeps the first 32 bytes as the next key and hands out the
 * rest. An attacker who later reads the state cannot recover bits already handed out. The first key comes from the
 * operating system ({@link SecureRandom}); the JDK's ChaCha20 is several times faster than {@code SecureRandom}
 * itself (docs/privacy.md, "Speed"), which matters when a round draws tens of millions of words.
 *
 * <p>{@link #seeded} exists for tests and simulations that must repeat themselves; it is never used for a
 * deployment's noise. Not thread-safe.
 */
public final class SecureBits {

    private static final int KEY_BYTES = 32;
    private static final int BLOCK_BYTES = 1 << 16;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] key = new byte[KEY_BYTES];
    private final byte[] zeros = new byte[BLOCK_BYTES];
    private final byte[] block = new byte[BLOCK_BYTES];
    private final Cipher cipher;
    private int position = BLOCK_BYTES;
    private long bitBuffer;
    private int bitsLeft;

    private SecureBits(byte[] firstKey) {
        System.arraycopy(firstKey, 0, key, 0, KEY_BYTES);
        try {
            cipher = Cipher.getInstance("ChaCha20");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no ChaCha20 cipher", e);
        }
    }

    /** Bits whose first key comes from the operating system's entropy. */
    public static SecureBits fromSystem() {
        byte[] seed = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(seed);
        return new SecureBits(seed);
    }

    /**
     * Bits whose first key is the 32-byte secret {@code key}: the same key gives the same bits, so noise derived from
     * a secret can be drawn again (tree aggregation's node noise after a server restart). As unpredictable as the key.
     */
    public static SecureBits keyed(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("key must have " + KEY_BYTES + " bytes, got " + key.length);
        }
        return new SecureBits(key);
    }

    /** Reproducible bits for tests and simulations: the key is {@code seed}, little-endian, zero-padded. */
    public static SecureBits seeded(long seed) {
        byte[] first = new byte[KEY_BYTES];
        LONGS.set(first, 0, seed);
        return new SecureBits(first);
    }

    /** 64 uniform bits. */
    public long nextLong() {
        if (position == BLOCK_BYTES) {
            refill();
        }
        long word = (long) LONGS.get(block, position);
        position += Long.BYTES;
        return word;
    }

    /** A fair coin. */
    public boolean nextBoolean() {
        if (bitsLeft == 0) {
            bitBuffer = nextLong();
            bitsLeft = Long.SIZE;
        }
        boolean bit = (bitBuffer & 1) != 0;
        bitBuffer >>>= 1;
        bitsLeft--;
        return bit;
    }

    /** Uniform in [0, bound) without bias (masked rejection: fewer than two words on average). */
    public long below(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        long mask = -1L >>> Long.numberOfLeadingZeros(bound - 1 | 1);
        while (true) {
            long x = nextLong() & mask;
            if (x < bound) {
                return x;
            }
        }
    }

    /** Uniform in [0, bound), 128-bit unsigned, without bias. */
    UInt128 below(UInt128 bound) {
        if (bound.isZero()) {
            throw new IllegalArgumentException("bound must be > 0");
        }
        if (bound.hi() == 0 && bound.lo() > 0) {
            return new UInt128(0, below(bound.lo()));
        }
        UInt128 max = bound.minusOne();
        long hiMask = max.hi() == 0 ? 0 : -1L >>> Long.numberOfLeadingZeros(max.hi());
        long loMask = max.hi() == 0 ? -1L >>> Long.numberOfLeadingZeros(max.lo() | 1) : -1L;
        while (true) {
            UInt128 x = new UInt128(nextLong() & hiMask, nextLong() & loMask);
            if (x.compareTo(bound) < 0) {
                return x;
            }
        }
    }

    private void refill() {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"),
                    new ChaCha20ParameterSpec(new byte[12], 0));
            cipher.doFinal(zeros, 0, BLOCK_BYTES, block, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20 failed", e);
        }
        System.arraycopy(block, 0, key, 0, KEY_BYTES);
        position = KEY_BYTES;
    }
}
