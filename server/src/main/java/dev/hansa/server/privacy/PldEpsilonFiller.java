package dev.hansa.server.privacy;

import dev.hansa.privacy.accounting.PldAccountant;
import dev.hansa.server.database.DatabaseAvailability;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Fills the privacy ledger's {@code epsilon_pld}: the cumulative epsilon after each round from the PLD accountant
 * ({@link PldAccountant}, tighter than the RDP epsilon the round's transaction records). A PLD epsilon takes up to
 * seconds, so it is computed after the round committed, outside the orchestrator's tick, from the stored events
 * alone: each row gets the epsilon of the events of its round and every round before it, at the row's delta. Only
 * sampled Gaussian rows: DP-FTRL's tree rows ({@code tree_aggregation}) have no PLD accountant and stay empty.
 *
 * <p>Idempotent: it writes only rows whose value is still missing, with a value that depends only on stored rows, so
 * a second run, a second replica or a run after a restart writes the same numbers or nothing. It runs when a round
 * of a DP federation commits ({@link #request()}), at start-up (a server killed before filling leaves gaps) and
 * every {@value #SWEEP_MILLIS} ms (a run that failed, e.g. in a database outage).
 */
@Component
class PldEpsilonFiller {

    private static final Logger log = LoggerFactory.getLogger(PldEpsilonFiller.class);

    static final long SWEEP_MILLIS = 60_000;

    private static final String SQL_FEDERATIONS_WITH_GAPS = """
            SELECT DISTINCT federation_id FROM privacy_ledger
            WHERE epsilon_pld IS NULL AND mechanism = 'sampled_gaussian'
            """;
    private static final String SQL_ROWS = """
            SELECT round_number, sampling_rate, noise_multiplier, steps, delta, epsilon_pld IS NULL AS missing
            FROM privacy_ledger WHERE federation_id = :federation AND mechanism = 'sampled_gaussian'
            ORDER BY round_number
            """;
    private static final String SQL_FILL = """
            UPDATE privacy_ledger SET epsilon_pld = :epsilon
            WHERE federation_id = :federation AND round_number = :number AND epsilon_pld IS NULL
            """;

    private record Row(int number, double q, double sigma, long steps, double delta, boolean missing) {
    }

    private final JdbcClient jdbc;
    private final DatabaseAvailability database;
    /** True at start-up, so the first run looks for gaps a previous process left. */
    private final AtomicBoolean requested = new AtomicBoolean(true);
    private volatile long lastRun;
    private volatile boolean closing;

    PldEpsilonFiller(JdbcClient jdbc, DatabaseAvailability database) {
        this.jdbc = jdbc;
        this.database = database;
    }

    /** Asks for a run soon: a round of a DP federation has just committed. */
    void request() {
        requested.set(true);
    }

    @Scheduled(fixedDelay = 200)
    void scheduledRun() {
        long now = System.currentTimeMillis();
        if (closing || !database.available() || !(requested.getAndSet(false) || now - lastRun >= SWEEP_MILLIS)) {
            return;
        }
        lastRun = now;
        try {
            fillAll();
        } catch (RuntimeException e) {
            log.warn("filling the privacy ledger's PLD epsilons failed; retrying within {} ms", SWEEP_MILLIS, e);
        }
    }

    /** Stops before the embedded database does (see {@code RoundOrchestrator.stopTicking}). */
    @EventListener(ContextClosedEvent.class)
    void stop() {
        closing = true;
    }

    /**
     * Fills every missing value of every federation; returns how many it wrote. A federation whose values cannot be
     * computed is logged and skipped, so it does not hold up the others.
     */
    int fillAll() {
        int written = 0;
        for (UUID federation : jdbc.sql(SQL_FEDERATIONS_WITH_GAPS).query(UUID.class).list()) {
            try {
                written += fill(federation);
            } catch (IllegalArgumentException | ArithmeticException e) {
                log.warn("federation {}: cannot compute its PLD epsilons; left missing", federation, e);
            }
        }
        return written;
    }

    /** Fills {@code federation}'s missing values in round order; returns how many it wrote. */
    int fill(UUID federation) {
        List<Row> rows = jdbc.sql(SQL_ROWS).param("federation", federation)
                .query((rs, i) -> new Row(rs.getInt(1), rs.getDouble(2), rs.getDouble(3), rs.getLong(4),
                        rs.getDouble(5), rs.getBoolean(6))).list();
        PldAccountant accountant = PldAccountant.empty();
        int written = 0;
        for (Row row : rows) {
            accountant = accountant.compose(row.q(), row.sigma(), row.steps());
            if (row.missing() && !closing) {
                written += jdbc.sql(SQL_FILL).param("epsilon", accountant.epsilon(row.delta()))
                        .param("federation", federation).param("number", row.number()).update();
            }
        }
        return written;
    }
}
