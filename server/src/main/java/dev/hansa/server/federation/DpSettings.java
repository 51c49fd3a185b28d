package dev.hansa.server.federation;

import dev.hansa.aggregation.dp.CentralPrivacy;
import dev.hansa.aggregation.dp.TreePrivacy;
import dev.hansa.aggregation.round.RoundProtocol;
import dev.hansa.aggregation.strategy.diff2.Diff2Client;
import java.util.Locale;
import java.util.Optional;

/**
 * What a DP federation's privacy card needs of its settings, whichever mechanism adds its noise (DP-FedAvg, DIFF2
 * or DP-FTRL): the mechanism's name, the noise multiplier (a {@code targetEpsilon} already planned into one), the
 * budget {@code privacy.epsilon} (infinite when the config sets none) and the delta the ledger's epsilons are taken
 * at. The mechanisms' settings share no type, so the card reads this instead.
 *
 * @param mechanism how the noise is added, as a person reads it: {@code DP-FedAvg}, {@code DIFF2} (the same Gaussian
 *                  mechanism with DIFF2's per-round schedule), or {@code DP-FTRL} with its tree variant
 */
public record DpSettings(String mechanism, double noiseMultiplier, double epsilon, double delta) {

    /** The settings of a configured protocol, empty when it runs without DP. */
    public static Optional<DpSettings> of(RoundProtocol protocol) {
        String central = protocol.strategy().name().equals(Diff2Client.NAME) ? "DIFF2" : "DP-FedAvg";
        return protocol.privacy().map(CentralPrivacy::settings)
                .map(dp -> new DpSettings(central, dp.noiseMultiplier(), dp.epsilon(), dp.delta()))
                .or(() -> protocol.tree().map(TreePrivacy::settings)
                        .map(dp -> new DpSettings("DP-FTRL, " + dp.variant().name().toLowerCase(Locale.ROOT)
                                + " tree", dp.noiseMultiplier(), dp.epsilon(), dp.delta())));
    }
}
