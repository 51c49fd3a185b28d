package dev.hansa.server.system;

import dev.hansa.server.database.Durability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Hansa's settings (prefix {@code hansa}); see docs/operations.md.
 *
 * @param databaseDir      data directory of the embedded PostgreSQL (ignored when spring.datasource.url is set)
 * @param databasePort     TCP port of the embedded PostgreSQL on 127.0.0.1 (0: any free port, logged at start)
 * @param databaseDurability {@code durable} (default: an acknowledged update is on disk) or the opt-in
 *                         {@code unsafe-may-lose-updates} of the embedded PostgreSQL (ignored for an external one)
 * @param databaseSettings further server settings of the embedded PostgreSQL (name to value, e.g. max_wal_size)
 * @param adminToken       bootstrap admin token; when empty and none exists, one is generated and logged once
 * @param maxUploadSize    largest accepted update body
 * @param liveWindow       a client counts as live while its last heartbeat is younger than this
 * @param tick             orchestrator period
 * @param ingestPermits    uploads held in memory at once (read, decoded, stored and folded); bounds the heap to a
 *                         few model sizes whatever the number of concurrent uploads
 */
@ConfigurationProperties("hansa")
public record HansaProperties(
        @DefaultValue("hansa-data/postgres") Path databaseDir,
        @DefaultValue("0") int databasePort,
        @DefaultValue("durable") Durability databaseDurability,
        @DefaultValue Map<String, String> databaseSettings,
        @DefaultValue("") String adminToken,
        @DefaultValue("64MB") DataSize maxUploadSize,
        @DefaultValue("30s") Duration liveWindow,
        @DefaultValue("200ms") Duration tick,
        @DefaultValue("2") int ingestPermits) {
}
