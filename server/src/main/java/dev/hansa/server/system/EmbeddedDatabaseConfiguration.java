package dev.hansa.server.system;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The zero-setup default database: an embedded PostgreSQL whose data directory survives restarts. Skipped when
 * {@code spring.datasource.url} points at an external PostgreSQL.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoExternalDatabase.class)
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    static final class NoExternalDatabase implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !context.getEnvironment().containsProperty("spring.datasource.url");
        }
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(HansaProperties properties) throws IOException {
        Path dir = properties.databaseDir().toAbsolutePath();
        Files.createDirectories(dir.getParent());
        stopStalePostmaster(dir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir.toFile())
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setPGStartupWait(Duration.ofSeconds(60));
        if (properties.databasePort() > 0) {
            builder.setPort(properties.databasePort());
        }
        EmbeddedPostgres postgres = builder.start();
        log.info("embedded PostgreSQL with data in {} listens on 127.0.0.1:{} (psql -h 127.0.0.1 -p {} -U postgres)",
                dir, postgres.getPort(), postgres.getPort());
        return postgres;
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        ds.setUsername("postgres");
        ds.setMaximumPoolSize(16);
        ds.setPoolName("hansa-embedded");
        return ds;
    }

    /** A server killed with -9 leaves its postmaster running and a postmaster.pid that blocks the next start. */
    static void stopStalePostmaster(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            long pid = lines.isEmpty() ? -1 : Long.parseLong(lines.getFirst().trim());
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(p -> {
                log.warn("stopping stale PostgreSQL postmaster (pid {}) left by a previous run", pid);
                p.destroy();
                try {
                    p.onExit().get(java.util.concurrent.TimeUnit.SECONDS.toMillis(20), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear stale " + pidFile, e);
        } catch (NumberFormatException e) {
            log.warn("ignoring unreadable {}", pidFile);
        }
    }
}
