package dev.hansa.aggregation.dp;

import dev.hansa.aggregation.state.State;

/**
 * The clip and noise multiplier of each round of a DP federation whose rounds release sums of different kinds
 * (DIFF2: clipped gradients in restart rounds, clipped gradient differences in the others). Without one, every
 * round of {@link CentralPrivacy} has the settings' multiplier and the clip of the server state (DP-FedAvg).
 *
 * <p>The multiplier may depend on the round number only, so that the accountant knows a round's cost before it
 * opens; the clip may also depend on the server state, which holds only what earlier rounds released.
 */
public interface ReleaseSchedule {

    /** The clip of round {@code round} (1-based), which starts from server state {@code state}; > 0. */
    double clip(long round, State state);

    /** The noise multiplier of round {@code round}: noise standard deviation over the round's clip. */
    double noiseMultiplier(long round);
}
