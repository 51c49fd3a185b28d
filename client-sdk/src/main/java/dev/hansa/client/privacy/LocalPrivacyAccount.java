package dev.hansa.client.privacy;

import dev.hansa.privacy.accounting.RdpAccountant;
import dev.hansa.privacy.accounting.SampledGaussianEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One client's example-level privacy spent by local DP-SGD across all its rounds: RDP of the Poisson-sampled
 * Gaussian mechanism, composed over every step it ran (steps x q x sigma per round), at the client's own delta; and
 * its budget. In memory for a simulated client; a real client's account is {@linkplain #storedIn stored} in its state
 * directory, written ahead of every round it pays for, so that a restart can neither forget nor refund a spend. Not
 * thread-safe: a client trains one round at a time.
 */
public final class LocalPrivacyAccount {

    private final double delta;
    private final double budget;
    /** Where every spend is written before it is used; null for an account in memory only. */
    private final LocalPrivacyAccountFile file;
    private RdpAccountant spent = RdpAccountant.empty();

    /**
     * An account in memory, starting from nothing.
     *
     * @param budget the epsilon the client will not pass; infinite for none
     */
    public LocalPrivacyAccount(double delta, double budget) {
        this(delta, budget, null, List.of());
    }

    private LocalPrivacyAccount(double delta, double budget, LocalPrivacyAccountFile file,
                                List<SampledGaussianEvent> alreadySpent) {
        this.delta = delta;
        this.budget = budget;
        this.file = file;
        for (SampledGaussianEvent e : alreadySpent) {
            spent = spent.compose(e);
        }
    }

    /**
     * The account kept in {@code file}: what it holds is already spent (nothing when it does not exist), and every
     * later {@link #spend} is on disk before it returns.
     *
     * @throws IllegalStateException naming the file when it cannot be read or is damaged: the client must not train
     */
    public static LocalPrivacyAccount storedIn(Path file, double delta, double budget) {
        LocalPrivacyAccountFile stored = new LocalPrivacyAccountFile(file);
        return new LocalPrivacyAccount(delta, budget, stored, stored.read());
    }

    /** The epsilon spent so far at the client's delta (0 before any step). */
    public double epsilon() {
        return spent.events().isEmpty() ? 0 : spent.epsilon(delta);
    }

    /** Why the client refuses a round of {@code steps} steps at rate {@code q} and multiplier {@code sigma}, if so. */
    public Optional<String> refusal(double q, double sigma, long steps) {
        double after = spent.compose(new SampledGaussianEvent(q, sigma, steps)).epsilon(delta);
        if (after <= budget) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "local DP-SGD budget: %d more steps at q=%.4g, sigma=%.4g "
                + "would spend epsilon %.4f at delta %.3g, past the client's budget %.4f (spent so far %.4f)",
                steps, q, sigma, after, delta, budget, epsilon()));
    }

    /**
     * Pays for a round before it runs: refuses it when it would pass the budget (nothing spent), else records it,
     * on disk first for a stored account. A spend is never taken back, whatever becomes of the round: once the noisy
     * update may leave the client, its privacy is gone.
     *
     * @throws LocalBudgetExhaustedException when the round would pass the budget
     */
    public void spend(double q, double sigma, long steps) {
        refusal(q, sigma, steps).ifPresent(reason -> {
            throw new LocalBudgetExhaustedException(reason);
        });
        RdpAccountant after = spent.compose(new SampledGaussianEvent(q, sigma, steps));
        if (file != null) {
            file.write(after.events());
        }
        spent = after;
    }
}
