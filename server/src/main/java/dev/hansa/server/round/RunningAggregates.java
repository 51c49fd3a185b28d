package dev.hansa.server.round;

import dev.hansa.aggregation.strategy.ClientUpdate;
import dev.hansa.aggregation.strategy.RoundAggregator;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The in-memory running aggregate of each open round, with the participants folded into it. It is only a cache of
 * what the stored updates imply: the orchestrator uses it when it covers exactly the accepted participants and
 * otherwise rebuilds from the database (after a restart, or when an accepted update is still being folded).
 */
@org.springframework.stereotype.Component
class RunningAggregates {

    private static final class Entry {
        final RoundAggregator aggregator;
        final Set<UUID> folded = new HashSet<>();

        Entry(RoundAggregator aggregator) {
            this.aggregator = aggregator;
        }
    }

    private final Map<UUID, Entry> byRound = new ConcurrentHashMap<>();

    void fold(UUID round, UUID client, ClientUpdate update, Supplier<RoundAggregator> create) {
        Entry entry = byRound.computeIfAbsent(round, r -> new Entry(create.get()));
        synchronized (entry) {
            if (entry.folded.add(client)) {
                entry.aggregator.add(update);
            }
        }
    }

    /** Removes and returns the round's aggregate if it folded exactly {@code accepted}. */
    Optional<RoundAggregator> take(UUID round, Set<UUID> accepted) {
        Entry entry = byRound.remove(round);
        if (entry == null) {
            return Optional.empty();
        }
        synchronized (entry) {
            return entry.folded.equals(accepted) ? Optional.of(entry.aggregator) : Optional.empty();
        }
    }

    void discard(UUID round) {
        byRound.remove(round);
    }

    /** Drops every in-memory aggregate, as a crash would (tests use it to exercise the rebuild). */
    void clear() {
        byRound.clear();
    }
}
