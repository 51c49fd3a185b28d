package dev.hansa.server.database;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded database's settings (prefix {@code hansa}, ignored when {@code spring.datasource.url} names an
 * external PostgreSQL); see docs/operations.md.
 *
 * @param databaseDir        data directory of the embedded PostgreSQL
 * @param databasePort       TCP port on 127.0.0.1 (0: any free port, logged at start, kept across restarts)
 * @param databaseDurability {@code durable} (default: an acknowledged update is on disk) or the opt-in
 *                           {@code unsafe-may-lose-updates}
 * @param databaseSettings   further server settings (name to value, e.g. max_wal_size)
 */
@ConfigurationProperties("hansa")
record DatabaseProperties(
        @DefaultValue("hansa-data/postgres") Path databaseDir,
        @DefaultValue("0") int databasePort,
        @DefaultValue("durable") Durability databaseDurability,
        @DefaultValue Map<String, String> databaseSettings) {
}
