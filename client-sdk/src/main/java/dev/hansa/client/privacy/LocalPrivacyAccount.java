package dev.hansa.client.privacy;

import dev.hansa.privacy.accounting.RdpAccountant;
import dev.hansa.privacy.accounting.SampledGaussianEvent;
import java.util.Locale;
import java.util.Optional;

/**
 * One client's example-level privacy spent by local DP-SGD across all its rounds: RDP of the Poisson-sampled
 * Gaussian mechanism, composed over every step it ran (steps x q x sigma per round), at the client's own delta; and
 * its budget. Not thread-safe: a client trains one round at a time.
 */
public final class LocalPrivacyAccount {

    private final double delta;
    private final double budget;
    private RdpAccountant spent = RdpAccountant.empty();

    /** @param budget the epsilon the client will not pass; infinite for none */
    public LocalPrivacyAccount(double delta, double budget) {
        this.delta = delta;
        this.budget = budget;
    }

    /** The epsilon spent so far at the client's delta (0 before any step). */
    public double epsilon() {
        return spent.events().isEmpty() ? 0 : spent.epsilon(delta);
    }

    /** Why the client refuses a round of {@code steps} steps at rate {@code q}, multiplier {@code sigma}, if it does. */
    public Optional<String> refusal(double q, double sigma, long steps) {
        double after = spent.compose(new SampledGaussianEvent(q, sigma, steps)).epsilon(delta);
        if (after <= budget) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "local DP-SGD budget: %d more steps at q=%.4g, sigma=%.4g "
                + "would spend epsilon %.4f at delta %.3g, past the client's budget %.4f (spent so far %.4f)",
                steps, q, sigma, after, delta, budget, epsilon()));
    }

    /** Records a round that ran. */
    public void record(double q, double sigma, long steps) {
        spent = spent.compose(new SampledGaussianEvent(q, sigma, steps));
    }
}
