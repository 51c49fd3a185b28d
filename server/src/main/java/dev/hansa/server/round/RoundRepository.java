package dev.hansa.server.round;

import dev.hansa.server.system.Blobs;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Rounds, participants and the accepted updates of open rounds. */
@Repository
class RoundRepository {

    private static final String ROUND_COLUMNS = """
            SELECT id, federation_id, number, attempt, state, seed, model_version_in, broadcast_hash, participants,
                   total_clients, quorum, opened_at, deadline_at FROM rounds
            """;
    private static final String SQL_INSERT_ROUND = """
            INSERT INTO rounds (id, federation_id, number, attempt, state, strategy, strategy_params, seed,
                                model_version_in, broadcast_hash, participants, total_clients, quorum, opened_at, deadline_at)
            VALUES (:id, :federation, :number, :attempt, 'OPEN', :strategy, CAST(:params AS jsonb), :seed,
                    :model, :broadcast, :participants, :total, :quorum, :opened, :deadline)
            """;
    private static final String SQL_INSERT_PARTICIPANT = """
            INSERT INTO round_participants (round_id, client_id, ordinal, plan, state, assigned_at)
            VALUES (:round, :client, :ordinal, CAST(:plan AS jsonb), 'ASSIGNED', :at)
            """;
    private static final String PARTICIPANT_COLUMNS = """
            SELECT round_id, client_id, ordinal, plan->>'role' AS role, state, idempotency_key,
                   accepted_response::text AS accepted_response, coalesce(num_samples, 0) AS num_samples,
                   train_metrics::text AS train_metrics
            FROM round_participants
            """;
    private static final String SQL_ACCEPT = """
            UPDATE round_participants SET state = 'ACCEPTED', idempotency_key = :key,
                   accepted_response = CAST(:response AS jsonb), bytes_received = :bytes, update_norm = :norm,
                   num_samples = :samples, train_metrics = CAST(:metrics AS jsonb), reported_at = :at
            WHERE round_id = :round AND client_id = :client AND state = 'ASSIGNED'
            """;
    private static final String SQL_INSERT_UPDATE = """
            INSERT INTO round_updates (round_id, client_id, blob) VALUES (:round, :client, :blob)
            """;
    private static final String SQL_REJECT = """
            UPDATE round_participants SET rejection_reason = :reason, rejections = rejections + 1
            WHERE round_id = :round AND client_id = :client
            """;
    private static final String SQL_LATE = """
            UPDATE round_participants SET state = 'LATE', rejection_reason = 'round-closed', reported_at = :at
            WHERE round_id = :round AND client_id = :client AND state IN ('ASSIGNED', 'DROPPED')
            """;
    private static final String SQL_CLOSE = """
            UPDATE rounds SET state = 'CLOSED', model_version_out = :model, accepted = :accepted,
                   metrics = CAST(:metrics AS jsonb), closed_at = :at
            WHERE id = :id AND state = 'OPEN'
            """;
    private static final String SQL_FAIL = """
            UPDATE rounds SET state = 'FAILED', accepted = :accepted, failure_reason = :reason, closed_at = :at
            WHERE id = :id AND state = 'OPEN'
            """;
    private static final String SQL_DROP_UNREPORTED = """
            UPDATE round_participants SET state = 'DROPPED' WHERE round_id = :round AND state = 'ASSIGNED'
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
    private static final String SQL_LIST_ROUNDS = """
            SELECT id, number, attempt, state, strategy, strategy_params, participants, quorum, accepted, total_clients,
                   metrics, failure_reason, opened_at, deadline_at, closed_at,
                   model_version_out
            FROM rounds WHERE federation_id = :federation ORDER BY number, attempt
            """;
    private static final String SQL_LIST_PARTICIPANTS = """
            SELECT client_id, ordinal, state, plan, rejection_reason, rejections, bytes_received,
                   update_norm, num_samples, train_metrics, eval_metrics,
                   assigned_at, reported_at
            FROM round_participants WHERE round_id = :round ORDER BY ordinal
            """;

    private final JdbcClient jdbc;

    RoundRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insertRound(Round r, String strategy, String paramsJson) {
        jdbc.sql(SQL_INSERT_ROUND).param("id", r.id()).param("federation", r.federationId()).param("number", r.number())
                .param("attempt", r.attempt()).param("strategy", strategy).param("params", paramsJson)
                .param("seed", r.seed()).param("model", r.modelVersionIn()).param("broadcast", r.broadcastHash())
                .param("participants", r.participants()).param("total", r.totalClients()).param("quorum", r.quorum())
                .param("opened", r.openedAt()).param("deadline", r.deadlineAt()).update();
    }

    void insertParticipant(UUID round, UUID client, int ordinal, String planJson, OffsetDateTime at) {
        jdbc.sql(SQL_INSERT_PARTICIPANT).param("round", round).param("client", client).param("ordinal", ordinal)
                .param("plan", planJson).param("at", at).update();
    }

    Optional<Round> open(UUID federation) {
        return jdbc.sql(ROUND_COLUMNS + " WHERE federation_id = :f AND state = 'OPEN'").param("f", federation)
                .query(RoundRepository::round).optional();
    }

    Optional<Round> find(UUID id) {
        return jdbc.sql(ROUND_COLUMNS + " WHERE id = :id").param("id", id).query(RoundRepository::round).optional();
    }

    /** Locks the round row against concurrent close (FOR UPDATE) or concurrent ingest (FOR SHARE). */
    Optional<Round> lock(UUID id, boolean exclusive) {
        return jdbc.sql(ROUND_COLUMNS + " WHERE id = :id " + (exclusive ? "FOR UPDATE" : "FOR SHARE"))
                .param("id", id).query(RoundRepository::round).optional();
    }

    int closedRounds(UUID federation) {
        return jdbc.sql("SELECT count(*) FROM rounds WHERE federation_id = :f AND state = 'CLOSED'")
                .param("f", federation).query(Integer.class).single();
    }

    int attempts(UUID federation, int number) {
        return jdbc.sql("SELECT count(*) FROM rounds WHERE federation_id = :f AND number = :n")
                .param("f", federation).param("n", number).query(Integer.class).single();
    }

    int enrolled(UUID federation) {
        return jdbc.sql("SELECT count(*) FROM clients WHERE federation_id = :f AND revoked_at IS NULL").param("f", federation)
                .query(Integer.class).single();
    }

    List<UUID> liveClients(UUID federation, OffsetDateTime since) {
        return jdbc.sql(SQL_LIVE).param("federation", federation).param("since", since).query(UUID.class).list();
    }

    Optional<Participant> participant(UUID round, UUID client, boolean forUpdate) {
        return jdbc.sql(PARTICIPANT_COLUMNS + " WHERE round_id = :round AND client_id = :client"
                        + (forUpdate ? " FOR UPDATE" : ""))
                .param("round", round).param("client", client).query(RoundRepository::participant).optional();
    }

    /** Accepted participants in participant order. */
    List<Participant> accepted(UUID round) {
        return jdbc.sql(PARTICIPANT_COLUMNS + " WHERE round_id = :round AND state = 'ACCEPTED' ORDER BY ordinal")
                .param("round", round).query(RoundRepository::participant).list();
    }

    int acceptedCount(UUID round) {
        return jdbc.sql("SELECT count(*) FROM round_participants WHERE round_id = :r AND state = 'ACCEPTED'")
                .param("r", round).query(Integer.class).single();
    }

    boolean accept(UUID round, UUID client, String key, String responseJson, long bytes, double norm, long samples,
                   String metricsJson, OffsetDateTime at) {
        return jdbc.sql(SQL_ACCEPT).param("round", round).param("client", client).param("key", key)
                .param("response", responseJson).param("bytes", bytes).param("norm", norm).param("samples", samples)
                .param("metrics", metricsJson).param("at", at).update() == 1;
    }

    void insertUpdate(UUID round, UUID client, byte[] blob) {
        jdbc.sql(SQL_INSERT_UPDATE).param("round", round).param("client", client).param("blob", Blobs.streamed(blob)).update();
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

    void markLate(UUID round, UUID client, OffsetDateTime at) {
        jdbc.sql(SQL_LATE).param("round", round).param("client", client).param("at", at).update();
    }

    boolean close(UUID round, UUID modelOut, int accepted, String metricsJson, OffsetDateTime at) {
        return jdbc.sql(SQL_CLOSE).param("id", round).param("model", modelOut).param("accepted", accepted)
                .param("metrics", metricsJson).param("at", at).update() == 1;
    }

    boolean fail(UUID round, int accepted, String reason, OffsetDateTime at) {
        return jdbc.sql(SQL_FAIL).param("id", round).param("accepted", accepted).param("reason", reason)
                .param("at", at).update() == 1;
    }

    void dropUnreported(UUID round) {
        jdbc.sql(SQL_DROP_UNREPORTED).param("round", round).update();
    }

    Optional<Map<String, Object>> assignment(UUID client) {
        return jdbc.sql(SQL_ASSIGNMENT).param("client", client).query().listOfRows().stream().findFirst();
    }

    void recordEvaluation(UUID round, UUID client, String metricsJson) {
        jdbc.sql("UPDATE round_participants SET eval_metrics = CAST(:m AS jsonb) WHERE round_id = :r AND client_id = :c")
                .param("m", metricsJson).param("r", round).param("c", client).update();
    }

    List<Map<String, Object>> listRounds(UUID federation) {
        return jdbc.sql(SQL_LIST_ROUNDS).param("federation", federation).query().listOfRows();
    }

    List<Map<String, Object>> listParticipants(UUID round) {
        return jdbc.sql(SQL_LIST_PARTICIPANTS).param("round", round).query().listOfRows();
    }

    private static Round round(ResultSet rs, int row) throws SQLException {
        return new Round(rs.getObject("id", UUID.class), rs.getObject("federation_id", UUID.class),
                rs.getInt("number"), rs.getInt("attempt"), rs.getString("state"), rs.getLong("seed"),
                rs.getObject("model_version_in", UUID.class), rs.getString("broadcast_hash"), rs.getInt("participants"),
                rs.getInt("total_clients"), rs.getInt("quorum"), rs.getObject("opened_at", OffsetDateTime.class),
                rs.getObject("deadline_at", OffsetDateTime.class));
    }

    private static Participant participant(ResultSet rs, int row) throws SQLException {
        return new Participant(rs.getObject("round_id", UUID.class), rs.getObject("client_id", UUID.class),
                rs.getInt("ordinal"), rs.getString("role"), rs.getString("state"), rs.getString("idempotency_key"),
                rs.getString("accepted_response"), rs.getLong("num_samples"), rs.getString("train_metrics"));
    }
}
