package dev.hansa.server.privacy;

import dev.hansa.aggregation.dp.CentralPrivacy;
import dev.hansa.privacy.accounting.RdpAccountant;
import dev.hansa.privacy.accounting.SampledGaussianEvent;
import dev.hansa.privacy.mechanism.DpFedAvgSettings;
import dev.hansa.server.system.AfterCommit;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A DP federation's privacy ledger in PostgreSQL ({@code privacy_ledger}, V9): one row per closed round with the
 * mechanism event the accountant composes and the cumulative epsilon at the federation's delta. The accountant is
 * rebuilt from the rows, never kept only in memory, so a restarted server continues the same ledger; the orchestrator
 * asks it before opening a round whether the budget allows one more. Budget decisions use the RDP epsilon, which
 * costs milliseconds; the tighter PLD epsilon ({@code epsilon_pld}) costs up to seconds and is filled in after the
 * round commits, for reporting.
 */
@Repository
public class PrivacyLedger {

    /** The only mechanism so far: a round of the sampled Gaussian mechanism. */
    public static final String SAMPLED_GAUSSIAN = "sampled_gaussian";

    private static final String SQL_EVENTS = """
            SELECT sampling_rate, noise_multiplier, steps FROM privacy_ledger
            WHERE federation_id = :federation ORDER BY round_number
            """;
    private static final String SQL_APPEND = """
            INSERT INTO privacy_ledger (federation_id, round_number, round_id, mechanism, sampling_rate,
                                        noise_multiplier, steps, clip_norm, sampler, delta, epsilon_rdp, recorded_at)
            VALUES (:federation, :number, :round, :mechanism, :q, :sigma, :steps, :clip, :sampler, :delta, :epsilon,
                    :at)
            """;

    private final JdbcClient jdbc;
    private final PldEpsilonFiller pld;

    PrivacyLedger(JdbcClient jdbc, PldEpsilonFiller pld) {
        this.jdbc = jdbc;
        this.pld = pld;
    }

    /** The RDP accountant of every round the ledger holds for {@code federation}, in round order. */
    public RdpAccountant spent(UUID federation) {
        List<SampledGaussianEvent> events = jdbc.sql(SQL_EVENTS).param("federation", federation)
                .query((rs, i) -> new SampledGaussianEvent(rs.getDouble(1), rs.getDouble(2), rs.getLong(3))).list();
        RdpAccountant accountant = RdpAccountant.empty();
        for (SampledGaussianEvent event : events) {
            accountant = accountant.compose(event);
        }
        return accountant;
    }

    /** Why round {@code number} may not open (the budget would be passed), or empty when it may. */
    public Optional<String> refusal(UUID federation, CentralPrivacy privacy, int number) {
        return privacy.refusal(spent(federation), number);
    }

    /**
     * Records closed round {@code number} (call inside the transaction that stores its model version) with its RDP
     * epsilon; its PLD epsilon is filled in after the transaction commits ({@link PldEpsilonFiller}).
     *
     * @param privacy the federation's DP stage: the round's event and the delta
     * @param clip    the clip its participants were told
     * @param sampler the sampler that drew them
     * @return the cumulative epsilon after it, at the settings' delta
     */
    public double append(UUID federation, int number, UUID round, CentralPrivacy privacy, double clip,
                         String sampler, OffsetDateTime at) {
        SampledGaussianEvent event = privacy.event(number);
        DpFedAvgSettings settings = privacy.settings();
        double epsilon = spent(federation).compose(event).epsilon(settings.delta());
        jdbc.sql(SQL_APPEND).param("federation", federation).param("number", number).param("round", round)
                .param("mechanism", SAMPLED_GAUSSIAN).param("q", event.q()).param("sigma", event.sigma())
                .param("steps", event.steps()).param("clip", clip).param("sampler", sampler)
                .param("delta", settings.delta()).param("epsilon", epsilon).param("at", at).update();
        AfterCommit.run(pld::request);
        return epsilon;
    }
}
