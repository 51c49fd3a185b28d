package dev.hansa.server.client;

import dev.hansa.server.federation.Federation;
import dev.hansa.server.federation.FederationService;
import dev.hansa.server.federation.FederationState;
import dev.hansa.server.system.AuditLog;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.HansaProperties;
import dev.hansa.server.system.RowViews;
import dev.hansa.server.system.Timestamps;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Enrolled clients as operators see and steer them: listed with their liveness, revoked, re-admitted. Every change
 * is audit-logged in its transaction.
 */
@Service
public class ClientAdminService {

    static final String ACTIVE = "ACTIVE";
    static final String REVOKED = "REVOKED";

    private final ClientRepository clients;
    private final FederationService federations;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final RowViews views;
    private final HansaProperties properties;
    private final Timestamps time;

    ClientAdminService(ClientRepository clients, FederationService federations, AuditLog audit,
                       ApplicationEventPublisher events, RowViews views, HansaProperties properties, Timestamps time) {
        this.clients = clients;
        this.federations = federations;
        this.audit = audit;
        this.events = events;
        this.views = views;
        this.properties = properties;
        this.time = time;
    }

    /**
     * The federation's clients with {@code state} ({@value #ACTIVE} or {@value #REVOKED}) and {@code live} (an active
     * client whose last heartbeat or poll is younger than {@code hansa.live-window}: one the sampler may pick).
     */
    public List<Map<String, Object>> list(UUID federation) {
        federations.require(federation);
        OffsetDateTime since = time.now().minus(properties.liveWindow());
        return clients.list(federation).stream().map(row -> view(row, since)).toList();
    }

    /**
     * Revokes the client's credential: from the next request on it answers 401 everywhere and the client is no longer
     * sampled; its open assignments are dropped. Its row, rounds and accepted updates stay. Revoking a revoked client
     * changes nothing.
     */
    @Transactional
    public Map<String, Object> revoke(UUID clientId, String actor) {
        Map<String, Object> client = require(clientId);
        if (clients.revoke(clientId, time.now())) {
            audit.record(actor, "client.revoke", clientId.toString(),
                    Map.of("federation", client.get("federation_id").toString(), "name", client.get("name")));
            events.publishEvent(new ClientRevoked(clientId, (UUID) client.get("federation_id")));
        }
        return view(clientId);
    }

    /**
     * Re-admits a revoked client: its credential works again and it is sampled once it is live. Re-admitting an
     * active client changes nothing; a client of a finished federation cannot be re-admitted.
     */
    @Transactional
    public Map<String, Object> readmit(UUID clientId, String actor) {
        Map<String, Object> client = require(clientId);
        Federation federation = federations.require((UUID) client.get("federation_id"));
        if (federation.state() == FederationState.FINISHED) {
            throw new HansaProblem(HttpStatus.CONFLICT, "federation-over",
                    "federation " + federation.id() + " is FINISHED; its clients cannot be re-admitted");
        }
        if (clients.readmit(clientId)) {
            audit.record(actor, "client.readmit", clientId.toString(),
                    Map.of("federation", federation.id().toString(), "name", client.get("name")));
        }
        return view(clientId);
    }

    private Map<String, Object> require(UUID clientId) {
        return clients.find(clientId).orElseThrow(() ->
                new HansaProblem(HttpStatus.NOT_FOUND, "unknown-client", "no client " + clientId));
    }

    private Map<String, Object> view(UUID clientId) {
        return view(clients.find(clientId).orElseThrow(), time.now().minus(properties.liveWindow()));
    }

    private Map<String, Object> view(Map<String, Object> row, OffsetDateTime liveSince) {
        Map<String, Object> out = new LinkedHashMap<>(views.view(row));
        boolean revoked = row.get("revoked_at") != null;
        OffsetDateTime heartbeat = asOffset(row.get("last_heartbeat_at"));
        out.put("state", revoked ? REVOKED : ACTIVE);
        out.put("live", !revoked && heartbeat != null && !heartbeat.isBefore(liveSince));
        return out;
    }

    private static OffsetDateTime asOffset(Object value) {
        return switch (value) {
            case OffsetDateTime o -> o;
            case Timestamp t -> t.toInstant().atOffset(ZoneOffset.UTC);
            case null, default -> null;
        };
    }
}
