package dev.hansa.privacy.mechanism;

/**
 * What a DP-FedAvg round divides its noised sum by. The sampled Gaussian mechanism's guarantee is for the noised
 * sum; dividing by a constant is post-processing and costs nothing, dividing by the round's actual count releases
 * that count too.
 */
public enum Denominator {

    /**
     * The expected number of participants {@code q N} (McMahan et al. 2018; TFF's {@code gaussian_fixed}; Opacus'
     * expected batch size for DP-SGD). The default: the accountant's guarantee covers the whole release.
     */
    EXPECTED,

    /**
     * The round's actual count {@code |S_t|} (lower variance when rounds vary in size). The count is not protected
     * by the noise, and the accountant does not charge for it; choose it only where the round's size is public
     * anyway.
     */
    ACTUAL;

    /** The denominator for a round of {@code count} participants drawn with rate {@code q} from {@code clients}. */
    public double of(double q, int clients, int count) {
        return switch (this) {
            case EXPECTED -> q * clients;
            case ACTUAL -> count;
        };
    }
}
