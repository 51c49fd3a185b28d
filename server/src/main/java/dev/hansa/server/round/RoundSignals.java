package dev.hansa.server.round;

import dev.hansa.server.system.AfterCommit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Wakes whoever waits on a federation (long-polling clients, the orchestrator) when its rounds change, so nobody
 * polls the database in a tight loop. Signals raised inside a transaction fire after it commits.
 */
@Component
class RoundSignals {

    private final Map<UUID, Object> monitors = new ConcurrentHashMap<>();
    private volatile Runnable orchestratorWakeUp = () -> { };

    void onChange(Runnable wakeUp) {
        this.orchestratorWakeUp = wakeUp;
    }

    private Object monitor(UUID federation) {
        return monitors.computeIfAbsent(federation, k -> new Object());
    }

    /** Signals now, or after the current transaction commits. */
    public void afterCommit(UUID federation) {
        AfterCommit.run(() -> signal(federation));
    }

    void signal(UUID federation) {
        Object monitor = monitor(federation);
        synchronized (monitor) {
            monitor.notifyAll();
        }
        orchestratorWakeUp.run();
    }

    /** Waits up to {@code millis} for a signal on {@code federation}. */
    void await(UUID federation, long millis) throws InterruptedException {
        if (millis <= 0) {
            return;
        }
        Object monitor = monitor(federation);
        synchronized (monitor) {
            monitor.wait(millis);
        }
    }
}
