package dev.hansa.aggregation.aggregate;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A round's aggregated updates, one {@link GroupAggregate} per role that reported (e.g. FedAMD's anchors and miners). */
public record RoundAggregate(Map<String, GroupAggregate> byRole) {

    public static final RoundAggregate EMPTY = new RoundAggregate(Map.of());

    public RoundAggregate {
        byRole = Map.copyOf(new TreeMap<>(byRole));
    }

    public Optional<GroupAggregate> role(String role) {
        return Optional.ofNullable(byRole.get(role));
    }

    /** Updates aggregated, over every role. */
    public int count() {
        return byRole.values().stream().mapToInt(GroupAggregate::count).sum();
    }
}
