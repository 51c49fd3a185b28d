package dev.hansa.aggregation.strategy;

/**
 * Facts about the round being planned or closed.
 *
 * @param round        1-based round number of the federation (a retried round keeps its number)
 * @param totalClients clients enrolled in the federation (N in the algorithms' formulas)
 * @param participants participants of this round (m)
 * @param seed         the round's seed ({@link dev.hansa.aggregation.random.Seeds#forRound}); drives sampling,
 *                     roles and every participant's seed
 */
public record RoundContext(long round, int totalClients, int participants, long seed) {
}
