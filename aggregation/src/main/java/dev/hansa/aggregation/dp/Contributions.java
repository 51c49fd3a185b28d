package dev.hansa.aggregation.dp;

import java.util.List;

/**
 * The rounds whose aggregate a client's update entered, as the driver recorded them (the server: accepted updates of
 * closed rounds): what DP-FTRL's participation limit is checked against.
 */
@FunctionalInterface
public interface Contributions {

    /** The rounds, ascending, in which {@code client}'s update was aggregated; at least those of the current tree. */
    List<Integer> rounds(String client);

    /** Nobody has contributed: for protocols that do not limit participation. */
    Contributions NONE = client -> List.of();
}
