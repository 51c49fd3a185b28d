package dev.hansa.server.console;

import dev.hansa.server.client.ClientAdminService;
import dev.hansa.server.system.AuditLog;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/** A federation's clients: liveness, samples, device, and revoke or re-admit for operators. */
@Controller
@RequestMapping("/console/federations/{id}/clients")
class ClientPages {

    private final ClientAdminService clients;
    private final FederationTabs tabs;

    ClientPages(ClientAdminService clients, FederationTabs tabs) {
        this.clients = clients;
        this.tabs = tabs;
    }

    @GetMapping
    String list(@PathVariable UUID id, Model model) {
        tabs.show(id, "clients", model);
        model.addAttribute("clients", clients.list(id));
        return "console/clients";
    }

    @PostMapping("/{clientId}/revoke")
    String revoke(@PathVariable UUID id, @PathVariable UUID clientId) {
        clients.revoke(clientId, AuditLog.currentActor());
        return "redirect:/console/federations/" + id + "/clients";
    }

    @PostMapping("/{clientId}/readmit")
    String readmit(@PathVariable UUID id, @PathVariable UUID clientId) {
        clients.readmit(clientId, AuditLog.currentActor());
        return "redirect:/console/federations/" + id + "/clients";
    }
}
