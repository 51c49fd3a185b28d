package dev.hansa.server.database;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.ObjectMapper;

/**
 * Knows whether the database answers, for the embedded and an external PostgreSQL alike, and makes the server act on
 * it: the request gate and the {@code db} health component (which replaces Spring Boot's, a query on the pool that
 * waits as long as the pool does).
 */
@Configuration(proxyBeanMethods = false)
class DatabaseAvailabilityConfiguration {

    /** A stopped or killed database shows within this interval (a hung one within the probe's timeouts). */
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(500);

    @Bean(destroyMethod = "close")
    DatabaseAvailability databaseAvailability(DataSource dataSource) {
        if (!(dataSource instanceof HikariDataSource pool)) {
            throw new IllegalStateException("Hansa needs a HikariCP DataSource (Spring Boot's default); got "
                    + dataSource.getClass().getName());
        }
        return new DatabaseAvailability(pool, PROBE_INTERVAL);
    }

    @Bean
    FilterRegistrationBean<DatabaseUnavailableFilter> databaseUnavailableFilter(DatabaseAvailability availability,
                                                                                 ObjectMapper json) {
        var registration = new FilterRegistrationBean<>(new DatabaseUnavailableFilter(availability, json));
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10); // before Spring Security's chain
        return registration;
    }

    @Bean
    HealthIndicator dbHealthIndicator(DatabaseAvailability availability) {
        return () -> availability.available()
                ? Health.up().build()
                : Health.down().withDetail("reason", DatabaseOutage.REASON)
                        .withDetail("since", String.valueOf(availability.downSince()))
                        .withDetail("error", String.valueOf(availability.lastError())).build();
    }
}
