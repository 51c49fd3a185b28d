package dev.hansa.client.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Whole-file replacement that survives a crash or a power cut: the bytes go to a temporary file in the same
 * directory, are forced to disk, moved over the target in one atomic rename, and the directory entry is forced too.
 * A reader therefore sees either the old file or the new one, never a mix, and a replacement that returned is on
 * disk.
 */
public final class DurableFile {

    private DurableFile() {
    }

    /** Replaces {@code target} with {@code bytes}; {@code ownerOnly} makes it readable by its owner alone. */
    public static void replace(Path target, byte[] bytes, boolean ownerOnly) {
        try {
            Path tmp = Files.createTempFile(target.getParent(), ".tmp-", null);
            if (ownerOnly) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            move(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** Renames {@code from} to {@code to} atomically where the file system can, then forces the directory entry. */
    public static void move(Path from, Path to) {
        try {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(to.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " to " + to, e);
        }
    }

    /** Makes a rename in {@code dir} durable (POSIX: fsync the directory), where a directory can be opened. */
    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
            // Windows cannot open a directory as a channel; NTFS journals the rename itself.
        }
    }
}
