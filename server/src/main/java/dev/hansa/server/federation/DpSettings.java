package dev.hansa.server.federation;

import dev.hansa.aggregation.dp.CentralPrivacy;
import dev.hansa.aggregation.dp.TreePrivacy;
import dev.hansa.aggregation.round.RoundProtocol;
import java.util.Optional;

/**
 * What a DP federation's privacy card needs of its settings, whichever mechanism adds its noise (DP-FedAvg, DIFF2
 * included, or DP-FTRL): the noise multiplier (a {@code targetEpsilon} already planned into one), the budget
 * {@code privacy.epsilon} (infinite when the config sets none) and the delta the ledger's epsilons are taken at. The
 * two mechanisms' settings share no type, so the card reads this instead.
 */
public record DpSettings(double noiseMultiplier, double epsilon, double delta) {

    /** The settings of a configured protocol, empty when it runs without DP. */
    public static Optional<DpSettings> of(RoundProtocol protocol) {
        return protocol.privacy().map(CentralPrivacy::settings)
                .map(dp -> new DpSettings(dp.noiseMultiplier(), dp.epsilon(), dp.delta()))
                .or(() -> protocol.tree().map(TreePrivacy::settings)
                        .map(dp -> new DpSettings(dp.noiseMultiplier(), dp.epsilon(), dp.delta())));
    }
}
