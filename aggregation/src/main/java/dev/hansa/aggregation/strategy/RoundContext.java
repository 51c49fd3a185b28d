package dev.hansa.aggregation.strategy;

/**
 * Facts about the round being planned or closed.
 *
 * @param round          1-based round number of the federation (a retried round keeps its number)
 * @param totalClients   clients enrolled in the federation (N in the algorithms' formulas)
 * @param participants   participants of this round (m)
 * @param seed           the federation's seed mixed with the round number; drives sampling and client seeds
 */
public record RoundContext(long round, int totalClients, int participants, long seed) {

    /**
     * The seed of attempt {@code attempt} of round {@code round} in a federation seeded with {@code federationSeed};
     * the server and the simulation runner both use it, so both sample the same participants for the same seeds.
     */
    public static long seedFor(long federationSeed, long round, int attempt) {
        long z = federationSeed + 0x9E3779B97F4A7C15L * round + 0xBF58476D1CE4E5B9L * attempt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
