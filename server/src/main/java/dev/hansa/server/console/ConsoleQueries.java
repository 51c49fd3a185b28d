package dev.hansa.server.console;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The console's read model: summaries the pages show (a federation's progress, a round's participant counts, bytes
 * and time, a client's last round) computed in SQL over the tables the features own, so a page costs one query per
 * table it shows instead of one per row. Writes never go through here: they use the features' services. The views'
 * derived values are public methods because the templates call them.
 */
@Repository
@Transactional(readOnly = true)
class ConsoleQueries {

    private static final String SQL_FEDERATIONS = """
            SELECT f.id, f.name, f.state, f.strategy, f.created_at, f.failure_reason,
                   (f.config->'schedule'->>'rounds')::int AS rounds_planned,
                   (SELECT count(*) FROM rounds r WHERE r.federation_id = f.id AND r.state = 'CLOSED') AS rounds_closed,
                   (SELECT count(*) FROM clients c WHERE c.federation_id = f.id AND c.revoked_at IS NULL) AS clients
            FROM federations f
            """;
    private static final String SQL_ROUNDS = """
            SELECT r.id, r.number, r.attempt, r.state, r.participants, r.quorum, r.accepted, r.failure_reason,
                   r.opened_at, r.deadline_at, r.closed_at, (r.metrics->>'train_loss')::float8 AS train_loss,
                   count(p.client_id) FILTER (WHERE p.state = 'ACCEPTED') AS uploaded,
                   count(p.client_id) FILTER (WHERE p.rejection_reason IS NOT NULL) AS rejected,
                   count(p.client_id) FILTER (WHERE p.state = 'ASSIGNED') AS waiting,
                   coalesce(sum(p.bytes_received), 0) AS bytes_up,
                   avg((p.eval_metrics->>'test_accuracy')::float8) AS test_accuracy,
                   avg((p.eval_metrics->>'test_loss')::float8) AS test_loss,
                   max(l.epsilon_rdp) AS epsilon_spent
            FROM rounds r LEFT JOIN round_participants p ON p.round_id = r.id
            LEFT JOIN privacy_ledger l ON l.round_id = r.id
            WHERE r.federation_id = :federation
            GROUP BY r.id ORDER BY r.number, r.attempt
            """;
    private static final String SQL_PARTICIPANTS = """
            SELECT p.client_id, c.name AS client_name, p.plan->>'role' AS role, p.state, p.rejection_reason,
                   p.rejections, p.bytes_received, p.update_norm, p.num_samples,
                   (p.train_metrics->>'train_loss')::float8 AS train_loss,
                   (p.eval_metrics->>'test_accuracy')::float8 AS test_accuracy, p.assigned_at, p.reported_at
            FROM round_participants p JOIN clients c ON c.id = p.client_id
            WHERE p.round_id = :round ORDER BY p.ordinal
            """;
    private static final String SQL_ROUND = """
            SELECT id, federation_id, number, attempt, state FROM rounds WHERE id = :round
            """;
    private static final String SQL_AUDIT = """
            SELECT id, at, actor, action, target, details::text AS details FROM audit_log
            WHERE (CAST(:action AS text) IS NULL OR action LIKE CAST(:action AS text) || '%')
            ORDER BY id DESC LIMIT :limit
            """;

    /** A federation in the list: its state and how far its rounds have come. */
    record FederationSummary(UUID id, String name, String state, String strategy, OffsetDateTime createdAt,
                             String failureReason, int roundsPlanned, long roundsClosed, long clients) {

        /** Closed rounds as a share of the planned ones, in percent (0 to 100). */
        public int percentDone() {
            return roundsPlanned == 0 ? 0 : (int) Math.min(100, roundsClosed * 100 / roundsPlanned);
        }
    }

    /**
     * One attempt of a round: its participants by outcome, the bytes its uploads took, how long it ran, and the
     * participants' evaluation of the model it started from (null when none reported one), and for a DP federation's
     * closed round the cumulative epsilon its privacy ledger recorded after it (null otherwise).
     */
    record RoundSummary(UUID id, int number, int attempt, String state, int participants, int quorum, int accepted,
                        String failureReason, OffsetDateTime openedAt, OffsetDateTime deadlineAt,
                        OffsetDateTime closedAt, Double trainLoss, long uploaded, long rejected, long waiting,
                        long bytesUp, Double testAccuracy, Double testLoss, Double epsilonSpent) {

        /** Seconds from opening to closing; null while the round is open. */
        public Double seconds() {
            return closedAt == null ? null : Duration.between(openedAt, closedAt).toMillis() / 1000.0;
        }

        public boolean open() {
            return "OPEN".equals(state);
        }
    }

    /** A participant of a round, with the reason its last refused upload was refused. */
    record ParticipantRow(UUID clientId, String clientName, String role, String state, String rejectionReason,
                          int rejections, Long bytesReceived, Double updateNorm, Long numSamples, Double trainLoss,
                          Double testAccuracy, OffsetDateTime assignedAt, OffsetDateTime reportedAt) {
    }

    /** The round a participants page is about. */
    record RoundKey(UUID id, UUID federationId, int number, int attempt, String state) {
    }

    /** An audit log entry. */
    record AuditEntry(long id, OffsetDateTime at, String actor, String action, String target, String details) {
    }

    private final JdbcClient jdbc;

    ConsoleQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<FederationSummary> federations() {
        return jdbc.sql(SQL_FEDERATIONS + " ORDER BY f.created_at DESC, f.id").query(FederationSummary.class).list();
    }

    Optional<FederationSummary> federation(UUID id) {
        return jdbc.sql(SQL_FEDERATIONS + " WHERE f.id = :id").param("id", id).query(FederationSummary.class)
                .optional();
    }

    /** Every attempt of every round of the federation, oldest first. */
    List<RoundSummary> rounds(UUID federation) {
        return jdbc.sql(SQL_ROUNDS).param("federation", federation).query(RoundSummary.class).list();
    }

    Optional<RoundKey> round(UUID round) {
        return jdbc.sql(SQL_ROUND).param("round", round).query(RoundKey.class).optional();
    }

    List<ParticipantRow> participants(UUID round) {
        return jdbc.sql(SQL_PARTICIPANTS).param("round", round).query(ParticipantRow.class).list();
    }

    /** The newest {@code limit} entries, those whose action starts with {@code actionPrefix} when it is not null. */
    List<AuditEntry> audit(String actionPrefix, int limit) {
        return jdbc.sql(SQL_AUDIT).param("action", actionPrefix).param("limit", limit).query(AuditEntry.class).list();
    }
}
