package dev.hansa.server.round;

import dev.hansa.server.system.HansaProblem;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;

/**
 * At most one upload in progress per participant: a second one (a retry while the first is still being received,
 * or a client that opens several) waits for the first to end and then gets the first one's answer, or is refused
 * with 409 upload-in-progress when the first takes longer than the wait. So a client can stall only its own uploads.
 */
final class ParticipantGate {

    private record Key(UUID round, UUID client) {
    }

    /** An entered gate; closing it lets the next upload of the participant in. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private final Set<Key> busy = new HashSet<>();

    synchronized Held enter(UUID round, UUID client, Duration wait) {
        Key key = new Key(round, client);
        long deadline = System.nanoTime() + wait.toNanos();
        while (busy.contains(key)) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new HansaProblem(HttpStatus.CONFLICT, "upload-in-progress", "another upload of this participant "
                        + "is still being received; retry once it has finished");
            }
            try {
                wait(Math.max(1, remaining / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HansaProblem(HttpStatus.SERVICE_UNAVAILABLE, "shutting-down", "the server is shutting down");
            }
        }
        busy.add(key);
        return () -> release(key);
    }

    private synchronized void release(Key key) {
        busy.remove(key);
        notifyAll();
    }
}
