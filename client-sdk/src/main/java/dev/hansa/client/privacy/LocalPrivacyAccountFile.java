package dev.hansa.client.privacy;

import dev.hansa.aggregation.tensor.ContentHash;
import dev.hansa.client.state.DurableFile;
import dev.hansa.privacy.accounting.SampledGaussianEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable form of a {@link LocalPrivacyAccount}: every sampled Gaussian event the client has spent, one line
 * each, and a SHA-256 of the lines above it, so that a damaged file is told apart from a short one:
 * <pre>
 *   hansa-local-privacy-account 1
 *   event 0.2 1.0 5          (q, sigma, steps of one round)
 *   sha256 &lt;hex of the bytes above&gt;
 * </pre>
 * Absent means nothing spent yet. Anything else that does not read back exactly is refused with the file named:
 * an account that cannot be read must stop the client, never restart it from zero.
 */
final class LocalPrivacyAccountFile {

    private static final String HEADER = "hansa-local-privacy-account 1";
    private static final String EVENT = "event ";
    private static final String CHECKSUM = "sha256 ";

    private final Path file;

    LocalPrivacyAccountFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** The events spent so far; empty when the file does not exist. */
    List<SampledGaussianEvent> read() {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw unusable("cannot be read (" + e + ")");
        }
        int checksumAt = text.lastIndexOf(CHECKSUM);
        if (!text.startsWith(HEADER + "\n") || checksumAt < 0 || !text.endsWith("\n")) {
            throw unusable("is not a local privacy account (header or checksum line missing)");
        }
        String body = text.substring(0, checksumAt);
        String checksum = text.substring(checksumAt + CHECKSUM.length(), text.length() - 1);
        if (!ContentHash.of(body.getBytes(StandardCharsets.UTF_8)).equals(checksum)) {
            throw unusable("is corrupt (its checksum does not match its contents)");
        }
        List<SampledGaussianEvent> events = new ArrayList<>();
        List<String> lines = body.lines().toList();
        for (String line : lines.subList(1, lines.size())) {
            events.add(event(line));
        }
        return List.copyOf(events);
    }

    /** Replaces the file with {@code events}, on disk when this returns. */
    void write(List<SampledGaussianEvent> events) {
        StringBuilder body = new StringBuilder(HEADER).append('\n');
        for (SampledGaussianEvent e : events) {
            body.append(EVENT).append(e.q()).append(' ').append(e.sigma()).append(' ').append(e.steps()).append('\n');
        }
        String checksum = ContentHash.of(body.toString().getBytes(StandardCharsets.UTF_8));
        body.append(CHECKSUM).append(checksum).append('\n');
        DurableFile.replace(file, body.toString().getBytes(StandardCharsets.UTF_8), true);
    }

    private SampledGaussianEvent event(String line) {
        String[] fields = line.split(" ");
        if (fields.length != 4 || !line.startsWith(EVENT)) {
            throw unusable("holds a line that is not an event: '" + line + "'");
        }
        try {
            return new SampledGaussianEvent(Double.parseDouble(fields[1]), Double.parseDouble(fields[2]),
                    Long.parseLong(fields[3]));
        } catch (IllegalArgumentException e) {
            throw unusable("holds an invalid event '" + line + "' (" + e.getMessage() + ")");
        }
    }

    private IllegalStateException unusable(String why) {
        return new IllegalStateException("local privacy account " + file + " " + why + "; refusing to train: "
                + "restore the file rather than delete it, since a deleted account starts again from zero");
    }
}
