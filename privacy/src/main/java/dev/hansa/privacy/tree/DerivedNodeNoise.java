package dev.hansa.privacy.tree;

import dev.hansa.privacy.noise.GaussianNoise;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Node noise derived from a secret: node (tree, height, index) draws its discrete Gaussian noise from the ChaCha20
 * stream keyed by {@code HMAC-SHA256(secret, "hansa.tree-node" | tree | height | index)}. The same secret gives the
 * same noise, so a restarted server draws the nodes of the running tree again instead of storing them; without the
 * secret the keys are pseudorandom (HMAC is a PRF), so the noise is as unpredictable as fresh noise.
 */
public final class DerivedNodeNoise implements NodeNoise {

    /** The fewest secret bytes accepted: a 256-bit key. */
    public static final int MIN_SECRET_BYTES = 32;

    private static final byte[] LABEL = "hansa.tree-node".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec secret;
    private final GaussianNoise.Calibration calibration;
    private final int dimension;

    /**
     * @param secret      at least {@value #MIN_SECRET_BYTES} bytes; whoever knows it can subtract the noise
     * @param calibration each node's noise: grid step and grid variance
     * @param dimension   the coordinates per node
     */
    public DerivedNodeNoise(byte[] secret, GaussianNoise.Calibration calibration, int dimension) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("secret must have at least " + MIN_SECRET_BYTES + " bytes, got "
                    + secret.length);
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        this.secret = new SecretKeySpec(secret, "HmacSHA256");
        this.calibration = calibration;
        this.dimension = dimension;
    }

    @Override
    public long[] of(int tree, TreeNode node) {
        byte[] message = ByteBuffer.allocate(LABEL.length + Integer.BYTES * 2 + Long.BYTES).put(LABEL).putInt(tree)
                .putInt(node.height()).putLong(node.index()).array();
        byte[] key;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            key = mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA256", e);
        }
        return GaussianNoise.keyed(key).gridIntegers(calibration, dimension);
    }
}
