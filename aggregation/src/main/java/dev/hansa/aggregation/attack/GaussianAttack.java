package dev.hansa.aggregation.attack;

import dev.hansa.aggregation.random.Seeds;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * {@value #NAME}: every Byzantine participant sends the same vector of independent N(mean, sigma^2) values, drawn
 * anew each round from the round's attack seed (ByzFL's {@code Gaussian}, with its defaults mean 0 and sigma 1; the
 * papers fix no sigma, so report the one used). Needs nothing from the honest updates.
 */
public final class GaussianAttack implements Attack {

    public static final String NAME = "gaussian";

    private final double mean;
    private final double sigma;

    public GaussianAttack(double mean, double sigma) {
        if (!Double.isFinite(mean) || !(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("a Gaussian attack needs a finite mean and a finite sigma >= 0, got "
                    + mean + ", " + sigma);
        }
        this.mean = mean;
        this.sigma = sigma;
    }

    /**
     * {@code d} values of N(mean, sigma^2) from {@code Seeds.generator(seed)}, in order (also what a misbehaving SDK
     * client uploads).
     */
    public static float[] draw(int d, double mean, double sigma, long seed) {
        RandomGenerator random = Seeds.generator(seed);
        float[] v = new float[d];
        for (int j = 0; j < d; j++) {
            v[j] = (float) (mean + sigma * random.nextGaussian());
        }
        return v;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Map.of("mean", mean, "sigma", sigma);
    }

    @Override
    public List<float[]> forge(Observation o) {
        return o.same(draw(o.dimension(), mean, sigma, o.seed()));
    }
}
