package dev.hansa.client.state;

import dev.hansa.aggregation.strategy.StrategyState;
import dev.hansa.aggregation.strategy.StrategyStateCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * A client's durable state in one directory: its credential ({@code credential.properties}, owner-only), its
 * strategy state per federation, and a content-addressed cache of downloaded tensors. Every write goes to a temporary
 * file first and is moved into place atomically, so a crash never leaves a half-written file.
 */
public final class ClientStateStore {

    /** What enrollment returned. */
    public record Credential(String clientId, String federationId, String secret) {
    }

    private final Path dir;

    public ClientStateStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir.resolve("cache"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create state directory " + dir, e);
        }
    }

    public Optional<Credential> credential() {
        Path file = dir.resolve("credential.properties");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return Optional.of(new Credential(p.getProperty("clientId"), p.getProperty("federationId"), p.getProperty("credential")));
    }

    public void saveCredential(Credential c) {
        String text = "clientId=" + c.clientId() + "\nfederationId=" + c.federationId() + "\ncredential=" + c.secret() + "\n";
        write(dir.resolve("credential.properties"), text.getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
    }

    public StrategyState strategyState(String federationId) {
        Path file = dir.resolve("strategy-state-" + federationId + ".bin");
        try {
            return Files.exists(file) ? StrategyStateCodec.decode(Files.readAllBytes(file)) : StrategyState.EMPTY;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public void saveStrategyState(String federationId, StrategyState state) {
        write(dir.resolve("strategy-state-" + federationId + ".bin"), StrategyStateCodec.encode(state), false);
    }

    /** Cached bytes whose SHA-256 is {@code hash}, verified on read. */
    public Optional<byte[]> cached(String hash) {
        Path file = dir.resolve("cache").resolve(hash + ".safetensors");
        try {
            if (Files.exists(file)) {
                byte[] bytes = Files.readAllBytes(file);
                if (sha256(bytes).equals(hash)) {
                    return Optional.of(bytes);
                }
                Files.delete(file);
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public void cache(String hash, byte[] bytes) {
        write(dir.resolve("cache").resolve(hash + ".safetensors"), bytes, false);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path target, byte[] bytes, boolean ownerOnly) {
        try {
            Path tmp = Files.createTempFile(target.getParent(), ".tmp-", null);
            if (ownerOnly) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
