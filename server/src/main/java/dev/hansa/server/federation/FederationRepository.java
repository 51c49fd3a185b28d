package dev.hansa.server.federation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Federations and their enrollment tokens. */
@Repository
public class FederationRepository {

    private static final String SQL_INSERT = """
            INSERT INTO federations (id, name, config, strategy, seed, state, created_at)
            VALUES (:id, :name, CAST(:config AS jsonb), :strategy, :seed, 'CREATED', :at)
            """;
    private static final String SQL_SELECT = """
            SELECT id, name, config, state, failure_reason, created_at, started_at, finished_at FROM federations
            """;
    /** A digest of the stored config (jsonb's text is canonical: key order and spacing do not change it). */
    private static final String SQL_CONFIG_VERSION = """
            SELECT encode(sha256(convert_to(config::text, 'UTF8')), 'hex') FROM federations WHERE id = :id
            """;
    private static final String SQL_TRANSITION = """
            UPDATE federations SET state = :state,
                   started_at = CASE WHEN :state = 'RUNNING' AND started_at IS NULL THEN :at ELSE started_at END,
                   finished_at = CASE WHEN :state IN ('FINISHED', 'FAILED') THEN :at
                                      WHEN :state = 'RUNNING' THEN NULL ELSE finished_at END,
                   failure_reason = :reason
            WHERE id = :id AND state IN (:from)
            """;
    private static final String SQL_UPDATE_CONFIG = """
            UPDATE federations SET name = :name, config = CAST(:config AS jsonb), strategy = :strategy, seed = :seed
            WHERE id = :id AND state = 'CREATED'
            """;
    /**
     * A federation's own rows, children first: its enrollment tokens (which name the clients they admitted), its
     * clients, its broadcast tensors and the federation. Rounds and model versions are deleted before, by their
     * features.
     */
    private static final List<String> SQL_DELETE = List.of(
            "DELETE FROM enrollment_tokens WHERE federation_id = :id",
            "DELETE FROM clients WHERE federation_id = :id",
            "DELETE FROM broadcast_tensors WHERE federation_id = :id",
            "DELETE FROM federations WHERE id = :id");
    private static final String SQL_INSERT_TOKEN = """
            INSERT INTO enrollment_tokens (id, token_hash, federation_id, created_at, expires_at)
            VALUES (:id, :hash, :federation, :at, :expires)
            """;
    private static final String TOKEN_COLUMNS = """
            SELECT id, created_at, expires_at, used_at, used_by, revoked_at FROM enrollment_tokens
            """;
    private static final String SQL_REVOKE_TOKEN = """
            UPDATE enrollment_tokens SET revoked_at = :at WHERE id = :id AND used_at IS NULL AND revoked_at IS NULL
            """;

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    FederationRepository(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(UUID id, FederationConfig config, OffsetDateTime at) {
        jdbc.sql(SQL_INSERT).param("id", id).param("name", config.name())
                .param("config", json.writeValueAsString(config.toMap())).param("strategy", config.strategyName())
                .param("seed", config.seed()).param("at", at).update();
    }

    public Optional<Federation> find(UUID id) {
        return jdbc.sql(SQL_SELECT + " WHERE id = :id").param("id", id).query(this::map).optional();
    }

    /** Which config the federation holds now, as a digest: equal digests, equal configs. Empty if it is gone. */
    Optional<String> configVersion(UUID id) {
        return jdbc.sql(SQL_CONFIG_VERSION).param("id", id).query(String.class).optional();
    }

    public List<Federation> all() {
        return jdbc.sql(SQL_SELECT + " ORDER BY created_at").query(this::map).list();
    }

    /** A federation whose rounds are driven, and whether it is running or paused. */
    public record Active(UUID id, FederationState state) {
    }

    /** The running and paused federations, oldest first. */
    public List<Active> active() {
        return jdbc.sql("SELECT id, state FROM federations WHERE state IN ('RUNNING', 'PAUSED') ORDER BY created_at")
                .query((rs, i) -> new Active(rs.getObject("id", UUID.class), FederationState.valueOf(rs.getString("state"))))
                .list();
    }

    /**
     * The federation's state, its row locked against a concurrent state change until the transaction ends (FOR
     * SHARE: a pause or stop waits for a round being opened, and a round is not opened after a pause).
     */
    public Optional<FederationState> lockState(UUID id) {
        return jdbc.sql("SELECT state FROM federations WHERE id = :id FOR SHARE").param("id", id)
                .query((rs, i) -> FederationState.valueOf(rs.getString("state"))).optional();
    }

    /** Moves the federation to {@code to} if its current state allows it; false when it did not. */
    public boolean transition(UUID id, FederationState to, String reason, OffsetDateTime at) {
        return transition(id, to.from(), to, reason, at);
    }

    /** Moves the federation from one of the states {@code from} to {@code to}; false when it was in none of them. */
    boolean transition(UUID id, List<String> from, FederationState to, String reason, OffsetDateTime at) {
        return jdbc.sql(SQL_TRANSITION).param("id", id).param("state", to.name()).param("from", from)
                .param("reason", reason).param("at", at).update() == 1;
    }

    /** Replaces the config of a federation that has not started; false when it has. */
    boolean updateConfig(UUID id, FederationConfig config) {
        return jdbc.sql(SQL_UPDATE_CONFIG).param("id", id).param("name", config.name())
                .param("config", json.writeValueAsString(config.toMap())).param("strategy", config.strategyName())
                .param("seed", config.seed()).update() == 1;
    }

    /** Deletes the federation's own rows (see {@link #SQL_DELETE}). */
    void delete(UUID id) {
        SQL_DELETE.forEach(sql -> jdbc.sql(sql).param("id", id).update());
    }

    void insertEnrollmentToken(UUID id, String hash, UUID federation, OffsetDateTime at, OffsetDateTime expires) {
        jdbc.sql(SQL_INSERT_TOKEN).param("id", id).param("hash", hash).param("federation", federation).param("at", at)
                .param("expires", expires).update();
    }

    List<EnrollmentToken> enrollmentTokens(UUID federation) {
        return jdbc.sql(TOKEN_COLUMNS + " WHERE federation_id = :federation ORDER BY created_at, id")
                .param("federation", federation).query(EnrollmentToken.class).list();
    }

    /** The federation's token {@code id}, locked against a concurrent enrollment or revocation. */
    Optional<EnrollmentToken> lockEnrollmentToken(UUID federation, UUID id) {
        return jdbc.sql(TOKEN_COLUMNS + " WHERE federation_id = :federation AND id = :id FOR UPDATE")
                .param("federation", federation).param("id", id).query(EnrollmentToken.class).optional();
    }

    void revokeEnrollmentToken(UUID id, OffsetDateTime at) {
        jdbc.sql(SQL_REVOKE_TOKEN).param("id", id).param("at", at).update();
    }

    private Federation map(ResultSet rs, int row) throws SQLException {
        Map<String, Object> config = json.readValue(rs.getString("config"), new TypeReference<Map<String, Object>>() { });
        return new Federation(rs.getObject("id", UUID.class), rs.getString("name"), FederationConfig.parse(config),
                FederationState.valueOf(rs.getString("state")), rs.getString("failure_reason"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("started_at", OffsetDateTime.class),
                rs.getObject("finished_at", OffsetDateTime.class));
    }
}
