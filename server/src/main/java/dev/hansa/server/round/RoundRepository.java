package dev.hansa.server.round;

import dev.hansa.aggregation.update.UpdateSpec;
import dev.hansa.server.system.Blobs;
import java.io.InputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/**
 * Rounds, participants and the accepted updates of open rounds. State changes are guarded by the states the
 * lifecycle enums allow as predecessors, so a change the lifecycle forbids updates no row.
 */
@Repository
class RoundRepository {

    private static final String ROUND_COLUMNS = """
            SELECT id, federation_id, number, attempt, state, seed, model_version_in, broadcast_hash, participants,
                   total_clients, quorum, opened_at, deadline_at FROM rounds
            """;
    private static final String SQL_INSERT_ROUND = """
            INSERT INTO rounds (id, federation_id, number, attempt, state, strategy, strategy_params, pipeline, seed,
                                model_version_in, broadcast_hash, participants, total_clients, quorum, opened_at, deadline_at)
            VALUES (:id, :federation, :number, :attempt, 'OPEN', :strategy, CAST(:params AS jsonb), CAST(:pipeline AS jsonb),
                    :seed, :model, :broadcast, :participants, :total, :quorum, :opened, :deadline)
            """;
    private static final String SQL_INSERT_PARTICIPANT = """
            INSERT INTO round_participants (round_id, client_id, ordinal, plan, state, assigned_at)
            VALUES (:round, :client, :ordinal, CAST(:plan AS jsonb), 'ASSIGNED', :at)
            """;
    private static final String PARTICIPANT_COLUMNS = """
            SELECT p.round_id, p.client_id, p.ordinal, p.plan->>'role' AS role,
                   p.plan->'update' AS update_spec, (p.plan->>'seed')::bigint AS plan_seed,
                   p.state, p.idempotency_key,
                   p.accepted_response::text AS accepted_response, c.num_samples AS declared_samples, p.clipped_to
            FROM round_participants p JOIN clients c ON c.id = p.client_id
            """;
    private static final String SQL_ACCEPT = """
            UPDATE round_participants SET state = 'ACCEPTED', idempotency_key = :key,
                   accepted_response = CAST(:response AS jsonb), bytes_received = :bytes, update_norm = :norm,
                   clipped_to = :clipped, num_samples = :samples, train_metrics = CAST(:metrics AS jsonb),
                   eval_metrics = CAST(:eval AS jsonb), rejection_reason = NULL, reported_at = :at
            WHERE round_id = :round AND client_id = :client AND state IN (:from)
            """;
    private static final String SQL_INSERT_UPDATE = """
            INSERT INTO round_updates (round_id, client_id, blob) VALUES (:round, :client, :blob)
            """;
    private static final String SQL_REJECT = """
            UPDATE round_participants SET rejection_reason = :reason, rejections = rejections + 1
            WHERE round_id = :round AND client_id = :client
            """;
    private static final String SQL_LATE = """
            UPDATE round_participants SET state = 'LATE', rejection_reason = :reason, reported_at = :at
            WHERE round_id = :round AND client_id = :client AND state IN (:from)
            """;
    private static final String SQL_CLOSE = """
            UPDATE rounds SET state = 'CLOSED', model_version_out = :model, accepted = :accepted,
                   metrics = CAST(:metrics AS jsonb), closed_at = :at
            WHERE id = :id AND state IN (:from)
            """;
    private static final String SQL_END = """
            UPDATE rounds SET state = :state, accepted = :accepted, failure_reason = :reason, closed_at = :at
            WHERE id = :id AND state IN (:from)
            """;
    private static final String SQL_DROP_UNREPORTED = """
            UPDATE round_participants SET state = 'DROPPED' WHERE round_id = :round AND state IN (:from)
            """;
    private static final String SQL_ASSIGNMENT = """
            SELECT r.id AS round_id, r.number, r.attempt, r.deadline_at, r.broadcast_hash, m.content_hash, p.plan::text AS plan
            FROM round_participants p
            JOIN rounds r ON r.id = p.round_id
            JOIN model_versions m ON m.id = r.model_version_in
            WHERE p.client_id = :client AND p.state = 'ASSIGNED' AND r.state = 'OPEN'
            """;
    private static final String SQL_LIVE = """
            SELECT id FROM clients
            WHERE federation_id = :federation AND last_heartbeat_at >= :since AND revoked_at IS NULL ORDER BY id
            """;
    /**
     * Rounds as the admin API shows them: the row, the versions of the models in and out, timing, and what their
     * participants did (counts by state, participants with a refused upload, refusals, bytes of accepted updates).
     */
    private static final String SQL_ROUND_VIEWS = """
            SELECT r.id, r.federation_id, r.number, r.attempt, r.state, r.strategy, r.strategy_params, r.pipeline,
                   r.participants, r.quorum, r.accepted, r.total_clients, r.metrics, r.failure_reason, r.opened_at,
                   r.deadline_at, r.closed_at, r.retried_at,
                   extract(epoch FROM r.closed_at - r.opened_at)::float8 AS duration_seconds,
                   r.model_version_out, mi.version AS model_version_in_number, mo.version AS model_version_out_number,
                   coalesce(p.waiting, 0) AS waiting, coalesce(p.uploaded, 0) AS uploaded,
                   coalesce(p.dropped, 0) AS dropped, coalesce(p.late, 0) AS late,
                   coalesce(p.rejected, 0) AS rejected, coalesce(p.rejections, 0) AS rejections,
                   coalesce(p.bytes_received, 0) AS bytes_received,
                   l.epsilon_rdp AS epsilon_spent, l.epsilon_pld AS epsilon_pld, l.delta AS epsilon_delta
            FROM rounds r
            JOIN model_versions mi ON mi.id = r.model_version_in
            LEFT JOIN model_versions mo ON mo.id = r.model_version_out
            LEFT JOIN privacy_ledger l ON l.round_id = r.id
            LEFT JOIN (SELECT round_id,
                              count(*) FILTER (WHERE state = 'ASSIGNED') AS waiting,
                              count(*) FILTER (WHERE state = 'ACCEPTED') AS uploaded,
                              count(*) FILTER (WHERE state = 'DROPPED') AS dropped,
                              count(*) FILTER (WHERE state = 'LATE') AS late,
                              count(*) FILTER (WHERE rejections > 0) AS rejected,
                              sum(rejections) AS rejections,
                              sum(bytes_received) FILTER (WHERE state = 'ACCEPTED') AS bytes_received
                       FROM round_participants GROUP BY round_id) p ON p.round_id = r.id
            """;
    private static final String SQL_REJECTION_REASONS = """
            SELECT rejection_reason AS reason, count(*) AS participants FROM round_participants
            WHERE round_id = :round AND rejection_reason IS NOT NULL GROUP BY rejection_reason ORDER BY rejection_reason
            """;
    private static final String SQL_LIST_PARTICIPANTS = """
            SELECT p.client_id, c.name AS client_name, p.ordinal, p.plan->>'role' AS role, p.state, p.plan,
                   p.rejection_reason, p.rejections, p.bytes_received, p.update_norm, p.clipped_to, p.num_samples,
                   p.train_metrics, p.eval_metrics, p.assigned_at, p.reported_at
            FROM round_participants p JOIN clients c ON c.id = p.client_id
            WHERE p.round_id = :round ORDER BY p.ordinal
            """;

    /** A federation's rounds with their participants and stored updates, children first. */
    private static final List<String> SQL_DELETE_FEDERATION = List.of(
            "DELETE FROM round_updates WHERE round_id IN (SELECT id FROM rounds WHERE federation_id = :f)",
            "DELETE FROM round_participants WHERE round_id IN (SELECT id FROM rounds WHERE federation_id = :f)",
            "DELETE FROM rounds WHERE federation_id = :f");

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    RoundRepository(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insertRound(Round r, String strategy, String paramsJson, String pipelineJson) {
        jdbc.sql(SQL_INSERT_ROUND).param("id", r.id()).param("federation", r.federationId()).param("number", r.number())
                .param("attempt", r.attempt()).param("strategy", strategy).param("params", paramsJson)
                .param("pipeline", pipelineJson).param("seed", r.seed()).param("model", r.modelVersionIn())
                .param("broadcast", r.broadcastHash()).param("participants", r.participants())
                .param("total", r.totalClients()).param("quorum", r.quorum()).param("opened", r.openedAt())
                .param("deadline", r.deadlineAt()).update();
    }

    void insertParticipant(UUID round, UUID client, int ordinal, String planJson, OffsetDateTime at) {
        jdbc.sql(SQL_INSERT_PARTICIPANT).param("round", round).param("client", client).param("ordinal", ordinal)
                .param("plan", planJson).param("at", at).update();
    }

    Optional<Round> open(UUID federation) {
        return jdbc.sql(ROUND_COLUMNS + " WHERE federation_id = :f AND state = 'OPEN'").param("f", federation)
                .query(RoundRepository::round).optional();
    }

    /** The ids of the federation's rounds, every attempt. */
    List<UUID> roundIds(UUID federation) {
        return jdbc.sql("SELECT id FROM rounds WHERE federation_id = :f").param("f", federation).query(UUID.class).list();
    }

    /** Deletes the federation's rounds, participants and stored updates. */
    void deleteAll(UUID federation) {
        SQL_DELETE_FEDERATION.forEach(sql -> jdbc.sql(sql).param("f", federation).update());
    }

    Optional<Round> find(UUID id) {
        return jdbc.sql(ROUND_COLUMNS + " WHERE id = :id").param("id", id).query(RoundRepository::round).optional();
    }

    /** Locks the round row against a concurrent close (FOR UPDATE) or a concurrent ingest (FOR SHARE). */
    Optional<Round> lock(UUID id, boolean exclusive) {
        return jdbc.sql(ROUND_COLUMNS + " WHERE id = :id " + (exclusive ? "FOR UPDATE" : "FOR SHARE"))
                .param("id", id).query(RoundRepository::round).optional();
    }

    int closedRounds(UUID federation) {
        return jdbc.sql("SELECT count(*) FROM rounds WHERE federation_id = :f AND state = 'CLOSED'")
                .param("f", federation).query(Integer.class).single();
    }

    /**
     * Attempts of round {@code number} so far, and how many of them failed (cancelled ones and failures an operator
     * retried do not count).
     */
    record Attempts(int made, int failed) {
    }

    Attempts attempts(UUID federation, int number) {
        return jdbc.sql("SELECT count(*), count(*) FILTER (WHERE state = 'FAILED' AND retried_at IS NULL) FROM rounds "
                        + "WHERE federation_id = :f AND number = :n")
                .param("f", federation).param("n", number)
                .query((rs, i) -> new Attempts(rs.getInt(1), rs.getInt(2))).single();
    }

    int enrolled(UUID federation) {
        return jdbc.sql("SELECT count(*) FROM clients WHERE federation_id = :f AND revoked_at IS NULL").param("f", federation)
                .query(Integer.class).single();
    }

    /** A poll keeps the client live for sampling, like a heartbeat. */
    void markLive(UUID client, OffsetDateTime at) {
        jdbc.sql("UPDATE clients SET last_heartbeat_at = :at WHERE id = :id").param("at", at).param("id", client).update();
    }

    void recordEvaluation(UUID round, UUID client, String metricsJson) {
        jdbc.sql("UPDATE round_participants SET eval_metrics = CAST(:m AS jsonb) WHERE round_id = :r AND client_id = :c")
                .param("m", metricsJson).param("r", round).param("c", client).update();
    }

    List<UUID> liveClients(UUID federation, OffsetDateTime since) {
        return jdbc.sql(SQL_LIVE).param("federation", federation).param("since", since).query(UUID.class).list();
    }

    Optional<Participant> participant(UUID round, UUID client, boolean forUpdate) {
        return jdbc.sql(PARTICIPANT_COLUMNS + " WHERE p.round_id = :round AND p.client_id = :client"
                        + (forUpdate ? " FOR UPDATE OF p" : ""))
                .param("round", round).param("client", client).query(this::participant).optional();
    }

    /** Accepted participants in participant order. */
    List<Participant> accepted(UUID round) {
        return jdbc.sql(PARTICIPANT_COLUMNS + " WHERE p.round_id = :round AND p.state = 'ACCEPTED' ORDER BY p.ordinal")
                .param("round", round).query(this::participant).list();
    }

    /** Participants still expected to report: the round is due once none is left. */
    int assignedCount(UUID round) {
        return jdbc.sql("SELECT count(*) FROM round_participants WHERE round_id = :r AND state = 'ASSIGNED'")
                .param("r", round).query(Integer.class).single();
    }

    /** Drops the client's assignments in open rounds, recording why. */
    void dropOpenAssignments(UUID client, String reason) {
        jdbc.sql("""
                UPDATE round_participants SET state = 'DROPPED', rejection_reason = :reason
                WHERE client_id = :client AND state IN (:from)
                  AND round_id IN (SELECT id FROM rounds WHERE state = 'OPEN')
                """).param("client", client).param("reason", reason)
                .param("from", ParticipantState.DROPPED.from()).update();
    }

    int acceptedCount(UUID round) {
        return jdbc.sql("SELECT count(*) FROM round_participants WHERE round_id = :r AND state = 'ACCEPTED'")
                .param("r", round).query(Integer.class).single();
    }

    /** What an accepted upload records on its participant row. */
    record Acceptance(String key, String responseJson, long bytes, double norm, Double clippedTo, long samples,
                      String trainMetricsJson, String evalMetricsJson, OffsetDateTime at) {
    }

    boolean accept(UUID round, UUID client, Acceptance a) {
        return jdbc.sql(SQL_ACCEPT).param("round", round).param("client", client).param("key", a.key())
                .param("response", a.responseJson()).param("bytes", a.bytes()).param("norm", a.norm())
                .param("clipped", a.clippedTo()).param("samples", a.samples()).param("metrics", a.trainMetricsJson())
                .param("eval", a.evalMetricsJson()).param("at", a.at())
                .param("from", ParticipantState.ACCEPTED.from()).update() == 1;
    }

    void insertUpdate(UUID round, UUID client, InputStream body, long length) {
        jdbc.sql(SQL_INSERT_UPDATE).param("round", round).param("client", client)
                .param("blob", Blobs.streamed(body, length)).update();
    }

    byte[] updateBlob(UUID round, UUID client) {
        return jdbc.sql("SELECT blob FROM round_updates WHERE round_id = :r AND client_id = :c")
                .param("r", round).param("c", client).query(byte[].class).single();
    }

    void deleteUpdates(UUID round) {
        jdbc.sql("DELETE FROM round_updates WHERE round_id = :r").param("r", round).update();
    }

    void recordRejection(UUID round, UUID client, String reason) {
        jdbc.sql(SQL_REJECT).param("round", round).param("client", client).param("reason", reason).update();
    }

    void markLate(UUID round, UUID client, String reason, OffsetDateTime at) {
        jdbc.sql(SQL_LATE).param("round", round).param("client", client).param("reason", reason).param("at", at)
                .param("from", ParticipantState.LATE.from()).update();
    }

    boolean close(UUID round, UUID modelOut, int accepted, String metricsJson, OffsetDateTime at) {
        return jdbc.sql(SQL_CLOSE).param("id", round).param("model", modelOut).param("accepted", accepted)
                .param("metrics", metricsJson).param("at", at).param("from", RoundState.CLOSED.from()).update() == 1;
    }

    /** Ends an open round without a model version: {@code FAILED} or {@code CANCELLED}, with the reason. */
    boolean end(UUID round, RoundState to, int accepted, String reason, OffsetDateTime at) {
        return jdbc.sql(SQL_END).param("id", round).param("state", to.name()).param("accepted", accepted)
                .param("reason", reason).param("at", at).param("from", to.from()).update() == 1;
    }

    void dropUnreported(UUID round) {
        jdbc.sql(SQL_DROP_UNREPORTED).param("round", round).param("from", ParticipantState.DROPPED.from()).update();
    }

    Optional<Map<String, Object>> assignment(UUID client) {
        return jdbc.sql(SQL_ASSIGNMENT).param("client", client).query().listOfRows().stream().findFirst();
    }

    List<Map<String, Object>> listRounds(UUID federation) {
        return jdbc.sql(SQL_ROUND_VIEWS + " WHERE r.federation_id = :federation ORDER BY r.number, r.attempt")
                .param("federation", federation).query().listOfRows();
    }

    Optional<Map<String, Object>> roundView(UUID round) {
        return jdbc.sql(SQL_ROUND_VIEWS + " WHERE r.id = :round").param("round", round).query().listOfRows().stream()
                .findFirst();
    }

    /** The last refusal reason of each participant that has one, counted by reason. */
    List<Map<String, Object>> rejectionReasons(UUID round) {
        return jdbc.sql(SQL_REJECTION_REASONS).param("round", round).query().listOfRows();
    }

    /** The federation's newest round attempt. */
    Optional<Round> newest(UUID federation) {
        return jdbc.sql(ROUND_COLUMNS + " WHERE federation_id = :f ORDER BY number DESC, attempt DESC LIMIT 1")
                .param("f", federation).query(RoundRepository::round).optional();
    }

    /** Marks a failed round retried: its failure no longer counts against the schedule's attempts. */
    boolean markRetried(UUID round, OffsetDateTime at) {
        return jdbc.sql("UPDATE rounds SET retried_at = :at WHERE id = :id AND state = 'FAILED' AND retried_at IS NULL")
                .param("id", round).param("at", at).update() == 1;
    }

    List<Map<String, Object>> listParticipants(UUID round) {
        return jdbc.sql(SQL_LIST_PARTICIPANTS).param("round", round).query().listOfRows();
    }

    private static Round round(ResultSet rs, int row) throws SQLException {
        return new Round(rs.getObject("id", UUID.class), rs.getObject("federation_id", UUID.class),
                rs.getInt("number"), rs.getInt("attempt"), RoundState.valueOf(rs.getString("state")), rs.getLong("seed"),
                rs.getObject("model_version_in", UUID.class), rs.getString("broadcast_hash"), rs.getInt("participants"),
                rs.getInt("total_clients"), rs.getInt("quorum"), rs.getObject("opened_at", OffsetDateTime.class),
                rs.getObject("deadline_at", OffsetDateTime.class));
    }

    private Participant participant(ResultSet rs, int row) throws SQLException {
        long declared = rs.getLong("declared_samples");
        if (rs.wasNull()) {
            declared = Long.MAX_VALUE; // never declared: only the federation's bound applies
        }
        return new Participant(rs.getObject("round_id", UUID.class), rs.getObject("client_id", UUID.class),
                rs.getInt("ordinal"), rs.getString("role"), updateSpec(rs.getString("update_spec")),
                rs.getLong("plan_seed"),
                ParticipantState.valueOf(rs.getString("state")), rs.getString("idempotency_key"),
                rs.getString("accepted_response"), declared,
                rs.getObject("clipped_to", Double.class));
    }

    /** The plan's {@code update} section as the server wrote it (a plan without one is dense). */
    private UpdateSpec updateSpec(String planUpdate) {
        return planUpdate == null ? UpdateSpec.DENSE : json.readValue(planUpdate, UpdateSpec.class);
    }
}
