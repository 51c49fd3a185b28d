package dev.hansa.server.system;

import dev.hansa.aggregation.tensor.ContentHash;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Bearer secrets: 256 random bits, base64url, with a prefix naming their kind. Only SHA-256 digests are stored; a
 * slow password hash is unnecessary for secrets of this entropy and would cost a core per request.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    public static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String secret) {
        return ContentHash.of(secret.getBytes(StandardCharsets.UTF_8));
    }
}
