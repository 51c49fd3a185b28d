package dev.hansa.server.client;

import dev.hansa.server.federation.FederationService;
import dev.hansa.server.system.AuditLog;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.RowViews;
import dev.hansa.server.system.Timestamps;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The admin API for enrolled clients: list a federation's clients, revoke a client's credential. */
@RestController
@RequestMapping("/api/v1/admin")
class ClientAdminController {

    private final ClientRepository clients;
    private final FederationService federations;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final RowViews views;
    private final Timestamps time;

    ClientAdminController(ClientRepository clients, FederationService federations, AuditLog audit,
                          ApplicationEventPublisher events, RowViews views,
                          Timestamps time) {
        this.clients = clients;
        this.federations = federations;
        this.audit = audit;
        this.events = events;
        this.views = views;
        this.time = time;
    }

    @GetMapping("/federations/{id}/clients")
    List<Map<String, Object>> list(@PathVariable UUID id) {
        federations.require(id);
        return views.view(clients.list(id));
    }

    /**
     * Revokes the client's credential: from the next request on it answers 401 everywhere and the client is no longer
     * sampled. Its row, rounds and accepted updates stay. Revoking a revoked client changes nothing.
     */
    @PostMapping("/clients/{clientId}/revoke")
    @Transactional
    Map<String, Object> revoke(@PathVariable UUID clientId, Principal principal) {
        Map<String, Object> client = clients.find(clientId).orElseThrow(() ->
                new HansaProblem(HttpStatus.NOT_FOUND, "unknown-client", "no client " + clientId));
        if (clients.revoke(clientId, time.now())) {
            audit.record(principal.getName(), "client.revoke", clientId.toString(),
                    Map.of("federation", client.get("federation_id").toString(), "name", client.get("name")));
            events.publishEvent(new ClientRevoked(clientId, (UUID) client.get("federation_id")));
        }
        return views.view(clients.find(clientId).orElseThrow());
    }
}
