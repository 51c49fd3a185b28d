package dev.hansa.server.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a postmaster writes to {@code postmaster.pid} in its data directory: line 1 its pid, line 7 the key and id of
 * the System V shared memory segment that its children stay attached to (PostgreSQL's own interlock against two
 * postmasters on one directory). Written by the postmaster, not by Hansa, so every field may be missing.
 *
 * @param pid         the postmaster's process id
 * @param sharedMemId id of its System V segment, or -1 when the file names none
 */
record PostmasterPidFile(Path file, long pid, long sharedMemId) {

    static Optional<PostmasterPidFile> read(Path dataDir) throws IOException {
        Path file = dataDir.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        long pid = lines.isEmpty() ? -1 : parse(lines.getFirst().strip());
        String[] shm = lines.size() > 6 ? lines.get(6).strip().split("\\s+") : new String[0];
        return Optional.of(new PostmasterPidFile(file, pid, shm.length == 2 ? parse(shm[1]) : -1));
    }

    private static long parse(String number) {
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The postmaster's process while it runs. */
    Optional<ProcessHandle> process() {
        return pid > 0 ? ProcessHandle.of(pid).filter(PostmasterPidFile::isRunning) : Optional.empty();
    }

    /**
     * Alive and not a zombie. A killed postmaster's parent is init, and {@link ProcessHandle#isAlive()} counts it
     * alive until init reaps it, which some inits do only every few seconds.
     */
    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            // "pid (command) state ...": the command may hold spaces and parentheses; the state follows the last ')'
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int end = stat.lastIndexOf(')');
            return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return process.isAlive(); // no /proc: trust the JDK
        }
    }

    /**
     * Processes still attached to the postmaster's shared memory: its children outlive a killed postmaster until
     * they notice (an idle backend at once, a busy one when its statement ends). Read from /proc/sysvipc/shm;
     * 0 when the segment is gone or the system does not say.
     */
    int attachedProcesses() throws IOException {
        Path table = Path.of("/proc/sysvipc/shm");
        if (sharedMemId < 0 || !Files.isReadable(table)) {
            return 0;
        }
        for (String line : Files.readAllLines(table)) {
            String[] f = line.strip().split("\\s+");
            // key shmid perms size cpid lpid nattch ...
            if (f.length > 6 && f[1].equals(Long.toString(sharedMemId))) {
                return (int) parse(f[6]);
            }
        }
        return 0;
    }
}
