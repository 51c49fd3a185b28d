package dev.hansa.aggregation.sampling;

import java.util.List;

/**
 * The samplers by name, as a federation's {@code schedule.sampler} names them; the server and the simulation build
 * a round's sampler here from the same settings, so both draw the same participants.
 */
public final class Samplers {

    public static final String UNIFORM = "uniform";
    public static final String POISSON = "poisson";
    public static final String BERNOULLI = "bernoulli";

    private Samplers() {
    }

    public static List<String> names() {
        return List.of(BERNOULLI, POISSON, UNIFORM);
    }

    /**
     * @param fraction   {@code uniform}: the share of live clients to draw; {@code poisson} and {@code bernoulli}:
     *                   each live client's probability of taking part
     * @param minClients {@code uniform}: lower bound on the draw (the others draw at random sizes)
     * @param maxClients {@code uniform}: upper bound on the draw
     */
    public static ClientSampler create(String name, double fraction, int minClients, int maxClients) {
        return switch (name) {
            case UNIFORM -> new UniformSampler(fraction, minClients, maxClients);
            case POISSON -> new PoissonSampler(fraction);
            case BERNOULLI -> new BernoulliSampler(fraction);
            case null, default -> throw new IllegalArgumentException("schedule.sampler must be one of " + names()
                    + ", got " + name);
        };
    }
}
