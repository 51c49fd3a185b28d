package dev.hansa.server.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.hansa.server.security.ClientPrincipal;
import dev.hansa.server.system.Timestamps;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/** What an enrolled client declares about itself: its sample count and device (which also keeps it live). */
@RestController
@RequestMapping("/api/v1/client")
class ClientController {

    /** Heartbeat body; both fields optional, and members it lacks are ignored (docs/protocol.md). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Heartbeat(Long numSamples, Map<String, Object> device) {
    }

    private final ClientRepository clients;
    private final ObjectMapper json;
    private final Timestamps time;

    ClientController(ClientRepository clients, ObjectMapper json, Timestamps time) {
        this.clients = clients;
        this.json = json;
        this.time = time;
    }

    @PostMapping("/heartbeat")
    Map<String, Object> heartbeat(@AuthenticationPrincipal ClientPrincipal me, @RequestBody(required = false) Heartbeat body) {
        Heartbeat hb = body == null ? new Heartbeat(null, null) : body;
        ClientFields.count("numSamples", hb.numSamples());
        ClientFields.device(hb.device());
        clients.heartbeat(me.clientId(), hb.numSamples(), hb.device() == null ? null : json.writeValueAsString(hb.device()),
                time.now());
        return Map.of("clientId", me.clientId().toString(), "federationId", me.federationId().toString());
    }
}
