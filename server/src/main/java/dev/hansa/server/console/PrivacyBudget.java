package dev.hansa.server.console;

import dev.hansa.server.federation.DpSettings;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A DP federation's privacy budget as its page shows it, for every mechanism: which mechanism adds the noise and with
 * what multiplier, the epsilon spent (the cumulative epsilon the privacy ledger recorded after the last closed round,
 * 0 before one closed; DP-FTRL's ledger records the trees' epsilon), the budget {@code privacy.epsilon} (infinite when
 * the config sets none) and the delta both are taken at. The numbers are formatted here, locale-independently,
 * because the message bundle only places them.
 */
record PrivacyBudget(String mechanism, double noiseMultiplier, double spent, double budget, double delta) {

    /** The budget of a federation with DP {@code settings}, given its rounds; empty without DP. */
    static Optional<PrivacyBudget> of(Optional<DpSettings> settings,
                                      List<ConsoleQueries.RoundSummary> rounds) {
        return settings.map(dp -> {
            double spent = rounds.stream().map(ConsoleQueries.RoundSummary::epsilonSpent).filter(Objects::nonNull)
                    .mapToDouble(Double::doubleValue).max().orElse(0);
            return new PrivacyBudget(dp.mechanism(), dp.noiseMultiplier(), spent, dp.epsilon(), dp.delta());
        });
    }

    /** Whether the config sets a budget (no round opens that would pass it). */
    public boolean limited() {
        return Double.isFinite(budget);
    }

    /** The budget spent, in percent (0 to 100); 0 without a budget. */
    public int percentSpent() {
        return limited() ? (int) Math.min(100, Math.round(100 * spent / budget)) : 0;
    }

    /** The noise multiplier to 4 significant digits (a planned one is not a round number). */
    public String noiseText() {
        return BigDecimal.valueOf(noiseMultiplier).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    public String spentText() {
        return String.format(Locale.ROOT, "%.3f", spent);
    }

    public String budgetText() {
        return String.format(Locale.ROOT, "%.3f", budget);
    }

    /** Delta in plain decimal notation (0.00001, not 1.0E-5). */
    public String deltaText() {
        return BigDecimal.valueOf(delta).stripTrailingZeros().toPlainString();
    }
}
