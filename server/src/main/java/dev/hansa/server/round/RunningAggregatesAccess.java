package dev.hansa.server.round;

import org.springframework.stereotype.Component;

/**
 * Operational access to the in-memory aggregates: dropping them is always safe (closing a round rebuilds from the
 * stored updates), which is how tests and operators emulate a crash without killing the process.
 */
@Component
public class RunningAggregatesAccess {

    private final RunningAggregates aggregates;

    RunningAggregatesAccess(RunningAggregates aggregates) {
        this.aggregates = aggregates;
    }

    public void forgetAll() {
        aggregates.clear();
    }
}
