package dev.hansa.server.system;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The server's meters in the Prometheus text format, under the admin API so that the admin API's credentials and
 * role rules cover it (a scraper sends a personal access token as its bearer credential) and no other port or
 * unauthenticated path is opened. The actuator's own prometheus endpoint is not exposed.
 */
@RestController
class MetricsController {

    /** The Prometheus text exposition format, version 0.0.4. */
    static final String PROMETHEUS_TEXT = "text/plain;version=0.0.4;charset=utf-8";

    private final PrometheusMeterRegistry registry;

    MetricsController(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @GetMapping(value = "/api/v1/admin/metrics", produces = PROMETHEUS_TEXT)
    String metrics() {
        return registry.scrape();
    }
}
