package dev.hansa.server.database;

import static dev.hansa.server.FederationFixture.randomDelta;
import static dev.hansa.server.FederationFixture.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.server.Api;
import dev.hansa.server.DatabaseOutageChecks;
import dev.hansa.server.EmbeddedServerTest;
import dev.hansa.server.Eventually;
import dev.hansa.server.FederationFixture;
import jakarta.servlet.Filter;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The embedded PostgreSQL's postmaster killed with SIGKILL right after an upload was acknowledged: the update is
 * still counted when the round closes, because the database is durable and comes back by itself; in between every
 * request fails at once with 503 and health says DOWN.
 */
class EmbeddedDatabaseCrashTest extends EmbeddedServerTest {

    @Autowired
    EmbeddedPostgresSupervisor postgres;
    @Autowired
    ApplicationContext context;

    @Test
    void theEmbeddedDatabaseRunsDurableByDefault() {
        for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
            assertEquals("on", jdbc.sql("SHOW " + setting).query(String.class).single(), setting);
        }
    }

    /**
     * Before the probe has noticed an outage, a request that fails for want of the database in a filter (as
     * authentication does) still gets 503 with Retry-After, not a 500.
     */
    @Test
    void aRequestThatLosesTheDatabaseInAFilterGets503() throws Exception {
        Filter gate = context.getBean("databaseUnavailableFilter", FilterRegistrationBean.class).getFilter();
        MockHttpServletResponse response = new MockHttpServletResponse();
        gate.doFilter(new MockHttpServletRequest("GET", "/api/v1/client/assignment"), response, (req, res) -> {
            throw new CannotGetJdbcConnectionException("authentication found no connection",
                    new SQLTransientConnectionException("hansa-embedded - Connection is not available"));
        });
        assertEquals(503, response.getStatus());
        assertEquals("5", response.getHeader("Retry-After"));
        assertEquals("database-unavailable", Api.JSON.readTree(response.getContentAsByteArray()).get("reason").asString());
    }

    @Test
    void anUpdateAcknowledgedRightBeforeThePostmasterIsKilledIsCountedAfterItsRestart() throws Exception {
        FederationFixture f = new FederationFixture(api, 2, 1, 600, 1.0, "fedavg");
        f.start();
        orchestrator.tick();
        Tensors before = f.latestModel();
        String path = "/api/v1/client/rounds/" + f.roundIdOf(f.clients.get(0)) + "/update";
        Tensors d1 = randomDelta(41), d2 = randomDelta(42);
        long postmaster = postgres.postmasterPid();

        assertEquals(202, api.put(path, f.clients.get(0).credential(), upload(d1, 3), "first").status());
        ProcessHandle.of(postmaster).orElseThrow().destroyForcibly(); // SIGKILL, nothing else

        DatabaseOutageChecks.answers503WhileDown(api, f.clients.get(0).credential());
        Eventually.await("the embedded database to come back", Duration.ofSeconds(60),
                () -> postgres.postmasterPid() != postmaster && api.get("/actuator/health", null).status() == 200);

        // A pooled connection that died with the postmaster can still fail the first request after health is back:
        // that request gets 503 with Retry-After and changes nothing, so the uploader retries, as the SDK does.
        int[] status = new int[1];
        Eventually.await("the second upload to be accepted", Duration.ofSeconds(30), () -> {
            status[0] = api.put(path, f.clients.get(1).credential(), upload(d2, 9), "second").status();
            return status[0] != 503;
        });
        assertEquals(202, status[0]);
        orchestrator.tick();
        var round = f.rounds().getFirst();
        assertEquals("CLOSED", round.get("state").asString());
        assertEquals(2, round.get("accepted").asInt(), "the update acknowledged before the kill is counted");
        Tensors after = f.latestModel();
        for (int i = 0; i < before.values().length; i++) {
            double expected = before.values()[i] + (3.0 * d1.values()[i] + 9.0 * d2.values()[i]) / 12.0;
            assertEquals(expected, after.values()[i], 1e-6, "parameter " + i);
        }
    }
}
