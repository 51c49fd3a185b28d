package dev.hansa.server.model;

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

/** Model versions and broadcast tensors, both content-addressed by SHA-256 within a federation. */
@Repository
public class ModelRepository {

    private static final String SQL_INSERT = """
            INSERT INTO model_versions (id, federation_id, version, content_hash, blob, strategy_state, produced_by_round, created_at)
            VALUES (:id, :federation, :version, :hash, :blob, :state, :round, :at)
            """;
    private static final String SQL_REPLACE_INITIAL = """
            UPDATE model_versions SET content_hash = :hash, blob = :blob, strategy_state = :state, created_at = :at
            WHERE federation_id = :federation AND version = 0
            """;
    private static final String SQL_COLUMNS = """
            SELECT id, federation_id, version, content_hash, blob, strategy_state, produced_by_round, created_at
            FROM model_versions
            """;
    /** Model versions with the metrics of the round that produced each (none for the initial model). */
    private static final String SQL_LIST = """
            SELECT m.version, m.content_hash, m.produced_by_round, m.created_at, octet_length(m.blob) AS bytes,
                   r.number AS round_number, r.metrics
            FROM model_versions m LEFT JOIN rounds r ON r.id = m.produced_by_round
            WHERE m.federation_id = :federation
            """;
    private static final String SQL_BLOB_BY_HASH = """
            SELECT blob FROM model_versions WHERE federation_id = :federation AND content_hash = :hash
            UNION ALL
            SELECT blob FROM broadcast_tensors WHERE federation_id = :federation AND content_hash = :hash
            LIMIT 1
            """;
    private static final String SQL_INSERT_BROADCAST = """
            INSERT INTO broadcast_tensors (federation_id, content_hash, blob, created_at)
            VALUES (:federation, :hash, :blob, :at) ON CONFLICT DO NOTHING
            """;

    private final JdbcClient jdbc;

    ModelRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(ModelVersion m) {
        jdbc.sql(SQL_INSERT).param("id", m.id()).param("federation", m.federationId()).param("version", m.version())
                .param("hash", m.contentHash()).param("blob", Blobs.streamed(m.blob())).param("state", m.strategyState())
                .param("round", m.producedByRound()).param("at", m.createdAt()).update();
    }

    /** Removes the initial model of a federation that has not started (its config now needs another one). */
    public void deleteInitial(UUID federation) {
        jdbc.sql("DELETE FROM model_versions WHERE federation_id = :federation AND version = 0")
                .param("federation", federation).update();
    }

    /** Deletes every model version of the federation (its rounds, which name them, are deleted first). */
    public void deleteAll(UUID federation) {
        jdbc.sql("DELETE FROM model_versions WHERE federation_id = :federation").param("federation", federation)
                .update();
    }

    public void replaceInitial(UUID federation, String hash, byte[] blob, byte[] state, OffsetDateTime at) {
        jdbc.sql(SQL_REPLACE_INITIAL).param("federation", federation).param("hash", hash).param("blob", Blobs.streamed(blob))
                .param("state", state).param("at", at).update();
    }

    public Optional<ModelVersion> latest(UUID federation) {
        return jdbc.sql(SQL_COLUMNS + " WHERE federation_id = :federation ORDER BY version DESC LIMIT 1")
                .param("federation", federation).query(this::map).optional();
    }

    /** The id of the federation's newest model version, without reading its bytes. */
    public Optional<UUID> latestId(UUID federation) {
        return jdbc.sql("SELECT id FROM model_versions WHERE federation_id = :federation ORDER BY version DESC LIMIT 1")
                .param("federation", federation).query(UUID.class).optional();
    }

    public Optional<ModelVersion> byId(UUID id) {
        return jdbc.sql(SQL_COLUMNS + " WHERE id = :id").param("id", id).query(this::map).optional();
    }

    public Optional<ModelVersion> byVersion(UUID federation, int version) {
        return jdbc.sql(SQL_COLUMNS + " WHERE federation_id = :federation AND version = :version")
                .param("federation", federation).param("version", version).query(this::map).optional();
    }

    public List<Map<String, Object>> list(UUID federation) {
        return jdbc.sql(SQL_LIST + " ORDER BY m.version").param("federation", federation).query().listOfRows();
    }

    /** One row of {@link #list}: version {@code version} of the federation, without its bytes. */
    public Optional<Map<String, Object>> listed(UUID federation, int version) {
        return jdbc.sql(SQL_LIST + " AND m.version = :version").param("federation", federation)
                .param("version", version).query().listOfRows().stream().findFirst();
    }

    /** The bytes of a model version or broadcast with this hash in this federation. */
    public Optional<byte[]> blob(UUID federation, String hash) {
        return jdbc.sql(SQL_BLOB_BY_HASH).param("federation", federation).param("hash", hash)
                .query(byte[].class).optional();
    }

    public void insertBroadcast(UUID federation, String hash, byte[] blob, OffsetDateTime at) {
        jdbc.sql(SQL_INSERT_BROADCAST).param("federation", federation).param("hash", hash).param("blob", Blobs.streamed(blob))
                .param("at", at).update();
    }

    private ModelVersion map(ResultSet rs, int row) throws SQLException {
        return new ModelVersion(rs.getObject("id", UUID.class), rs.getObject("federation_id", UUID.class),
                rs.getInt("version"), rs.getString("content_hash"), rs.getBytes("blob"), rs.getBytes("strategy_state"),
                rs.getObject("produced_by_round", UUID.class), rs.getObject("created_at", OffsetDateTime.class));
    }
}
