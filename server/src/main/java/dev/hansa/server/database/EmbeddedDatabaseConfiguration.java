package dev.hansa.server.database;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The zero-setup default database: an embedded PostgreSQL whose data directory survives restarts, supervised so that
 * it comes back when it dies, and durable unless told otherwise. Skipped when {@code spring.datasource.url} points at
 * an external PostgreSQL.
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
    EmbeddedPostgresSupervisor embeddedPostgres(DatabaseProperties properties) throws IOException, InterruptedException {
        Durability durability = properties.databaseDurability();
        if (durability != Durability.DURABLE) {
            log.warn("""

                    ******************************************************************************************
                    hansa.database-durability={}: the embedded PostgreSQL runs with {}.
                    A crash loses updates that were already acknowledged with 202; a machine crash or power cut
                    can corrupt the database. Never use this for a federation whose results matter.
                    ******************************************************************************************""",
                    durability.propertyValue(), durability.settings());
        }
        EmbeddedPostgresSupervisor postgres = new EmbeddedPostgresSupervisor(properties.databaseDir(),
                properties.databasePort(), serverSettings(durability, properties.databaseSettings()));
        log.info("embedded PostgreSQL with data in {} listens on 127.0.0.1:{} (psql -h 127.0.0.1 -p {} -U postgres)",
                postgres.dataDir(), postgres.port(), postgres.port());
        return postgres;
    }

    /**
     * The durability settings plus the operator's own ({@code hansa.database-settings.*}), which may not touch
     * durability: that is one named, logged choice.
     */
    static Map<String, String> serverSettings(Durability durability, Map<String, String> extra) {
        Map<String, String> settings = new LinkedHashMap<>(durability.settings());
        extra.forEach((name, value) -> {
            if (settings.containsKey(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("hansa.database-settings." + name
                        + " is not allowed: set hansa.database-durability instead");
            }
            settings.put(name, value);
        });
        return settings;
    }

    /** The same pool settings ({@code spring.datasource.hikari.*}) as for an external database. */
    @Bean(destroyMethod = "close")
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgresSupervisor postgres) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(postgres.jdbcUrl());
        ds.setUsername("postgres");
        ds.setMaximumPoolSize(16);
        ds.setPoolName("hansa-embedded");
        return ds;
    }
}
