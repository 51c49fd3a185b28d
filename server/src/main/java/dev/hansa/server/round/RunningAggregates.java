package dev.hansa.server.round;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.aggregate.RoundAggregation;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The in-memory running aggregate of each open round of a streaming pipeline, with the participants folded into
 * it. It is only a cache of what the stored updates imply: closing uses it when it covers exactly the accepted
 * participants and otherwise rebuilds from the database (after a restart, on another replica, or when an accepted
 * update is still being folded).
 */
@Component
class RunningAggregates {

    private static final class Entry {
        final RoundAggregation aggregation;
        final Set<UUID> folded = new HashSet<>();

        Entry(RoundAggregation aggregation) {
            this.aggregation = aggregation;
        }
    }

    private final Map<UUID, Entry> byRound = new ConcurrentHashMap<>();

    void fold(UUID round, UUID client, AggregationPipeline.Admitted update, Supplier<RoundAggregation> start) {
        Entry entry = byRound.computeIfAbsent(round, r -> new Entry(start.get()));
        synchronized (entry) {
            if (entry.folded.add(client)) {
                entry.aggregation.add(update);
            }
        }
    }

    /** Removes and returns the round's aggregation if it folded exactly {@code accepted}. */
    Optional<RoundAggregation> take(UUID round, Set<UUID> accepted) {
        Entry entry = byRound.remove(round);
        if (entry == null) {
            return Optional.empty();
        }
        synchronized (entry) {
            return entry.folded.equals(accepted) ? Optional.of(entry.aggregation) : Optional.empty();
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
