package dev.hansa.server.client;

import dev.hansa.server.system.AuditLog;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The admin API for enrolled clients: list a federation's clients, revoke and re-admit a client's credential. */
@RestController
@RequestMapping("/api/v1/admin")
class ClientAdminController {

    private final ClientAdminService clients;

    ClientAdminController(ClientAdminService clients) {
        this.clients = clients;
    }


    @GetMapping("/federations/{id}/clients")
    List<Map<String, Object>> list(@PathVariable UUID id) {
        return clients.list(id);
    }

    @PostMapping("/clients/{clientId}/revoke")
    Map<String, Object> revoke(@PathVariable UUID clientId) {
        return clients.revoke(clientId, AuditLog.currentActor());
    }

    @PostMapping("/clients/{clientId}/readmit")
    Map<String, Object> readmit(@PathVariable UUID clientId) {
        return clients.readmit(clientId, AuditLog.currentActor());
    }
}
