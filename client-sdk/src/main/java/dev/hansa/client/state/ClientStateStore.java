package dev.hansa.client.state;

import dev.hansa.aggregation.tensor.ContentHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * A client's durable state in one directory: its credential ({@code credential.properties}, owner-only), its
 * {@link ClientState} per federation (plus at most one pending state whose round is unresolved, see
 * {@code HansaClient}), and a content-addressed cache of downloaded tensors. Every write goes to a temporary
 * file first, forced to disk and moved into place atomically ({@link DurableFile}), so a crash never leaves a
 * half-written file.
 */
public final class ClientStateStore {

    /** What enrollment returned. */
    public record Credential(String clientId, String federationId, String secret) {
    }

    /** The state that training for round {@code roundId} produced, kept until that round's outcome is known. */
    public record PendingState(String roundId, ClientState state) {
    }

    private static final java.util.regex.Pattern ROUND_ID = java.util.regex.Pattern.compile("[A-Za-z0-9-]{1,64}");

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
        DurableFile.replace(dir.resolve("credential.properties"), text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** The state of federation {@code federationId} as of the last round that counted this client. */
    public ClientState state(String federationId) {
        Path file = dir.resolve("client-state-" + federationId + ".bin");
        try {
            return Files.exists(file) ? ClientState.decode(Files.readAllBytes(file)) : ClientState.EMPTY;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The pending state of federation {@code federationId}, if training produced one whose round is unresolved. */
    public Optional<PendingState> pendingState(String federationId) {
        String prefix = pendingPrefix(federationId);
        try (var files = Files.list(dir)) {
            Optional<Path> file = files.filter(f -> isPending(f, federationId)).findFirst();
            if (file.isEmpty()) {
                return Optional.empty();
            }
            String name = file.get().getFileName().toString();
            String roundId = name.substring(prefix.length(), name.length() - ".bin".length());
            return Optional.of(new PendingState(roundId, ClientState.decode(Files.readAllBytes(file.get()))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the pending strategy state in " + dir, e);
        }
    }

    /**
     * Keeps {@code state} as pending for round {@code roundId}, replacing any pending state of another round: at most
     * one round is pending per federation (a client resolves the previous one before it trains again).
     */
    public void savePendingState(String federationId, String roundId, ClientState state) {
        if (!ROUND_ID.matcher(roundId).matches()) {
            throw new IllegalArgumentException("roundId must match " + ROUND_ID.pattern() + ": " + roundId);
        }
        Path file = pendingFile(federationId, roundId);
        DurableFile.replace(file, state.encode(), false);
        try (var files = Files.list(dir)) {
            for (Path other : files.filter(f -> isPending(f, federationId) && !f.equals(file)).toList()) {
                Files.deleteIfExists(other);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear older pending strategy states in " + dir, e);
        }
    }

    private static boolean isPending(Path file, String federationId) {
        String name = file.getFileName().toString();
        return name.startsWith(pendingPrefix(federationId)) && name.endsWith(".bin");
    }

    /** Makes the pending state the federation's strategy state, in one atomic rename. */
    public void commitPendingState(String federationId) {
        pendingState(federationId).ifPresent(p -> DurableFile.move(pendingFile(federationId, p.roundId()),
                dir.resolve("client-state-" + federationId + ".bin")));
    }

    /** Forgets the pending state: its round failed or did not count the update. */
    public void discardPendingState(String federationId) {
        pendingState(federationId).ifPresent(p -> {
            try {
                Files.deleteIfExists(pendingFile(federationId, p.roundId()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the pending strategy state in " + dir, e);
            }
        });
    }

    private static String pendingPrefix(String federationId) {
        return "client-state-" + federationId + ".pending-";
    }

    private Path pendingFile(String federationId, String roundId) {
        return dir.resolve(pendingPrefix(federationId) + roundId + ".bin");
    }

    /** Where the local DP-SGD privacy account of this client's data is kept (one per state directory). */
    public Path localPrivacyAccountFile() {
        return dir.resolve("local-privacy-account.txt");
    }

    /** Cached bytes whose SHA-256 is {@code hash}, verified on read. */
    public Optional<byte[]> cached(String hash) {
        Path file = dir.resolve("cache").resolve(hash + ".safetensors");
        try {
            if (Files.exists(file)) {
                byte[] bytes = Files.readAllBytes(file);
                if (ContentHash.of(bytes).equals(hash)) {
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
        DurableFile.replace(dir.resolve("cache").resolve(hash + ".safetensors"), bytes, false);
    }
}
