package dev.hansa.server.round;

import dev.hansa.server.system.HansaProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * An upload's body, copied from the socket to a temporary file at whatever pace the client sends it, before the
 * upload takes one of the ingest permits: a slow or stalled sender holds a file and a (virtual) thread, never the
 * memory or the permit another upload needs. The copy enforces the size limit, a declared Content-Length
 * (truncated bodies are refused) and a minimum average rate after a grace period. A spool file the disk refuses
 * (full, or failing) refuses the upload with {@code 507 insufficient-storage}.
 */
final class UploadSpool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UploadSpool.class);

    private final Path file;
    private final long size;

    private UploadSpool(Path file, long size) {
        this.file = file;
        this.size = size;
    }

    /** The limits a body is read under. */
    record Limits(long maxBytes, long minBytesPerSecond, Duration grace) {
    }

    /**
     * Copies {@code in} to a new spool file.
     *
     * @param declared the Content-Length, or -1 for a chunked body
     * @throws HansaProblem {@code payload-too-large}, {@code truncated-body}, {@code upload-too-slow} or
     *                      {@code insufficient-storage}; the file is deleted then
     */
    static UploadSpool receive(InputStream in, long declared, Limits limits) throws IOException {
        if (declared > limits.maxBytes()) {
            throw tooLarge(limits.maxBytes());
        }
        Path file;
        try {
            file = Files.createTempFile("hansa-upload-", ".bin");
        } catch (IOException e) {
            throw noSpace(e);
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
            long start = System.nanoTime();
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                int n = read(in, buffer);
                if (n < 0) {
                    break;
                }
                total += n;
                if (total > limits.maxBytes() || (declared >= 0 && total > declared)) {
                    throw tooLarge(limits.maxBytes());
                }
                out.write(buffer, 0, n);
                checkRate(total, System.nanoTime() - start, limits);
            }
            if (declared >= 0 && total < declared) {
                throw new HansaProblem(HttpStatus.BAD_REQUEST, "truncated-body",
                        "the body ended after " + total + " bytes, before its declared Content-Length of " + declared);
            }
            return new UploadSpool(file, total);
        } catch (IOException e) {
            // Reading the body turns its failures into truncated-body: this one is the spool file's.
            Files.deleteIfExists(file);
            throw noSpace(e);
        } catch (RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    private static InsufficientStorage noSpace(IOException cause) {
        log.error("cannot spool an upload to {}; it is refused with 507", System.getProperty("java.io.tmpdir"), cause);
        return new InsufficientStorage("the upload's body");
    }

    /** Bytes read, or -1 at the end; a connection the client closed or reset mid-body is a truncated body. */
    private static int read(InputStream in, byte[] buffer) {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new HansaProblem(HttpStatus.BAD_REQUEST, "truncated-body",
                    "the connection ended inside the body: " + e.getMessage());
        }
    }

    private static void checkRate(long bytes, long nanos, Limits limits) {
        long grace = limits.grace().toNanos();
        if (nanos > grace && bytes * 1e9 / nanos < limits.minBytesPerSecond()) {
            throw new HansaProblem(HttpStatus.REQUEST_TIMEOUT, "upload-too-slow", "the body arrived at "
                    + Math.round(bytes * 1e9 / nanos) + " bytes/s on average; uploads must sustain "
                    + limits.minBytesPerSecond() + " bytes/s after the first " + limits.grace().toSeconds() + " s");
        }
    }

    private static HansaProblem tooLarge(long limit) {
        return new HansaProblem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large",
                "the update exceeds hansa.max-upload-size (" + limit + " bytes)");
    }

    long size() {
        return size;
    }

    /** The body, mapped read-only into {@code arena}. */
    MemorySegment map(Arena arena) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map the spooled upload " + file, e);
        }
    }

    /** A stream over the body, for storing it. */
    InputStream open() throws IOException {
        return Files.newInputStream(file);
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the spooled upload " + file, e);
        }
    }
}
