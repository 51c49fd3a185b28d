package dev.hansa.privacy.accounting;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A privacy-loss-distribution (PLD) accountant for the Poisson-subsampled Gaussian mechanism: the tight (epsilon,
 * delta) of a composition, where {@link RdpAccountant} gives an upper bound through Renyi divergences.
 *
 * <p>Adjacency is add-or-remove of one client, as in the RDP accountant (Opacus, dp_accounting): the accountant keeps
 * the loss distribution of each direction ({@link SampledGaussianHockeyStick}) and reports the worse one. One round's
 * distribution is discretised by pessimistic connect-the-dots (Doroshenko et al. 2022; dp_accounting's default) on
 * the grid of multiples of {@code interval}; rounds compose by FFT (a phase of identical rounds with one transform
 * raised to the power of its steps, phases by convolution), with tails of at most {@value #TAIL_MASS} cut into delta.
 * Every approximation only raises delta, so the epsilon it reports is an upper bound of the exact one.
 *
 * <p>Immutable: {@link #compose} returns a new accountant. All events with the same q and sigma are kept as one phase
 * (composition commutes, so their order does not matter), and the distribution is built once, on the first question,
 * so that composing one round at a time costs nothing until epsilon is asked for.
 */
public final class PldAccountant {

    /** dp_accounting's default value discretisation interval. */
    public static final double DEFAULT_INTERVAL = 1e-4;

    /** Probability mass that one composition may move to infinity when it cuts tails (dp_accounting's default). */
    static final double TAIL_MASS = 1e-15;

    private final double interval;
    private final List<SampledGaussianEvent> events;
    private final List<SampledGaussianEvent> phases;
    private volatile PrivacyLossPmf[] directions;

    private PldAccountant(double interval, List<SampledGaussianEvent> events, List<SampledGaussianEvent> phases) {
        this.interval = interval;
        this.events = events;
        this.phases = phases;
    }

    /**
     * An accountant with nothing spent whose losses lie on multiples of {@code interval}: smaller is tighter and
     * slower (memory and time grow as 1/interval).
     *
     * @throws IllegalArgumentException unless 0 &lt; interval &lt;= 0.1
     */
    public static PldAccountant empty(double interval) {
        if (!(interval > 0 && interval <= 0.1)) {
            throw new IllegalArgumentException("interval must be in (0, 0.1], got " + interval);
        }
        return new PldAccountant(interval, List.of(), List.of());
    }

    /** An accountant on dp_accounting's default grid, {@value #DEFAULT_INTERVAL}. */
    public static PldAccountant empty() {
        return empty(DEFAULT_INTERVAL);
    }

    /** This accountant with {@code event} composed after the events it holds. */
    public PldAccountant compose(SampledGaussianEvent event) {
        if (event == null) {
            throw new IllegalArgumentException("event must not be null");
        }
        List<SampledGaussianEvent> allEvents = new ArrayList<>(events);
        allEvents.add(event);
        // Composition commutes, so an event joins the phase of every earlier event with its q and sigma, wherever
        // that phase began: rounds that alternate between two kinds (DIFF2) cost two phases, not one per switch.
        List<SampledGaussianEvent> allPhases = new ArrayList<>(phases);
        int same = -1;
        for (int i = 0; i < allPhases.size() && same < 0; i++) {
            if (allPhases.get(i).q() == event.q() && allPhases.get(i).sigma() == event.sigma()) {
                same = i;
            }
        }
        if (same >= 0) {
            SampledGaussianEvent phase = allPhases.get(same);
            allPhases.set(same, new SampledGaussianEvent(event.q(), event.sigma(),
                    Math.addExact(phase.steps(), event.steps())));
        } else {
            allPhases.add(event);
        }
        return new PldAccountant(interval, Collections.unmodifiableList(allEvents),
                Collections.unmodifiableList(allPhases));
    }

    /** Shorthand for {@code compose(new SampledGaussianEvent(q, sigma, steps))}. */
    public PldAccountant compose(double q, double sigma, long steps) {
        return compose(new SampledGaussianEvent(q, sigma, steps));
    }

    /**
     * The smallest epsilon &gt;= 0 at which everything composed so far is (epsilon, delta)-DP; +infinity when none is
     * (a round without noise).
     *
     * @throws IllegalArgumentException for delta outside (0, 1)
     */
    public double epsilon(double delta) {
        Require.delta("delta", delta);
        double worst = 0;
        for (PrivacyLossPmf direction : directions()) {
            worst = Math.max(worst, direction.epsilon(delta));
        }
        return worst;
    }

    /**
     * The smallest delta for which everything composed so far is (epsilon, delta)-DP.
     *
     * @throws IllegalArgumentException for a negative or NaN epsilon
     */
    public double delta(double epsilon) {
        Require.nonNegative("epsilon", epsilon);
        double worst = 0;
        for (PrivacyLossPmf direction : directions()) {
            worst = Math.max(worst, direction.delta(epsilon));
        }
        return worst;
    }

    /** The (epsilon, delta) guarantee at {@code delta}; PLD has no order, so {@link PrivacySpent#order()} is NaN. */
    public PrivacySpent spent(double delta) {
        return new PrivacySpent(epsilon(delta), delta, Double.NaN);
    }

    public List<SampledGaussianEvent> events() {
        return events;
    }

    public double interval() {
        return interval;
    }

    private PrivacyLossPmf[] directions() {
        PrivacyLossPmf[] built = directions;
        if (built == null) {
            built = new PrivacyLossPmf[] {
                build(SampledGaussianHockeyStick.REMOVE), build(SampledGaussianHockeyStick.ADD)};
            directions = built;
        }
        return built;
    }

    private PrivacyLossPmf build(SampledGaussianHockeyStick direction) {
        PrivacyLossPmf total = null;
        for (SampledGaussianEvent phase : phases) {
            if (phase.q() == 0 || phase.steps() == 0) {
                continue;
            }
            PrivacyLossPmf round = phase.sigma() == 0
                    ? PrivacyLossPmf.infinite(interval)
                    : direction.discretise(phase.q(), phase.sigma(), interval);
            PrivacyLossPmf composed = round.selfCompose(phase.steps(), TAIL_MASS);
            total = total == null ? composed : total.compose(composed, TAIL_MASS);
        }
        return total == null ? PrivacyLossPmf.identity(interval) : total;
    }
}
