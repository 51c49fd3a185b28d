package dev.hansa.server.database;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Ownership of an embedded PostgreSQL data directory: an exclusive OS lock on {@code <data directory>.lock}, held by
 * the owning server for as long as its JVM lives. The OS drops the lock when that JVM ends, however it ends
 * ({@code kill -9} included), so a second server finds the lock taken while the owner runs and refuses to start,
 * and a server that finds it free knows that any postmaster still running on the directory was left by a dead owner.
 * The lock file says who holds it, for the refusal message; the lock itself, not the file's content, decides.
 */
final class DataDirectoryLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of a data directory: a sibling, since initdb wants the data directory itself empty. */
    static Path lockFile(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + ".lock");
    }

    /** Takes the lock or throws {@link DataDirectoryInUseException} naming the owner; never waits. */
    public static DataDirectoryLock acquire(Path dataDir) throws IOException {
        Path file = lockFile(dataDir);
        Files.createDirectories(file.getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // another application context in this JVM owns it
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String owner = readOwner(channel);
            channel.close();
            throw new DataDirectoryInUseException(dataDir, owner);
        }
        ProcessHandle.Info self = ProcessHandle.current().info();
        String owner = "pid " + ProcessHandle.current().pid() + ", started " + self.startInstant().orElse(Instant.now())
                + self.commandLine().map(c -> ", " + withoutClassPath(c)).orElse("");
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(owner.getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
        return new DataDirectoryLock(channel, lock);
    }

    private static String readOwner(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        channel.read(buffer, 0);
        String owner = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
        return owner.isEmpty() ? "a process that has not said who it is" : owner;
    }

    /** The JVM's command line as a person recognises it: the class path is long and says nothing. */
    private static String withoutClassPath(String commandLine) {
        String line = commandLine.replaceAll("(-cp|-classpath|--class-path) \\S+", "$1 ...");
        return line.length() <= 300 ? line : line.substring(0, 300) + "...";
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
