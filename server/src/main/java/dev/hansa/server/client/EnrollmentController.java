package dev.hansa.server.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.hansa.server.system.AuditLog;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.Secrets;
import dev.hansa.server.system.Timestamps;
import jakarta.servlet.http.HttpServletRequest;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/** {@code POST /api/v1/enroll}: trades a one-time enrollment token for a client credential. */
@RestController
class EnrollmentController {

    /** The request body; every field is optional, and members it lacks are ignored (docs/protocol.md). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record EnrollRequest(String name, Long numSamples, Map<String, Object> device) {
    }

    private final ClientRepository clients;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final Timestamps time;

    EnrollmentController(ClientRepository clients, AuditLog audit, ObjectMapper json, Timestamps time) {
        this.clients = clients;
        this.audit = audit;
        this.json = json;
        this.time = time;
    }

    @PostMapping("/api/v1/enroll")
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    Map<String, Object> enroll(HttpServletRequest request, @RequestBody(required = false) EnrollRequest body) {
        String header = request.getHeader("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        OffsetDateTime now = time.now();
        if (token == null || !token.startsWith("he_")) {
            throw new HansaProblem(HttpStatus.UNAUTHORIZED, "invalid-credential", "enrollment needs a bearer enrollment token");
        }
        String hash = Secrets.hash(token);
        UUID federation = clients.lockUnusedToken(hash, now).orElseThrow(() -> new HansaProblem(HttpStatus.UNAUTHORIZED,
                "invalid-credential", "the enrollment token is unknown, expired, revoked or already used"));
        // A refusal rolls the transaction back: the token stays unused for a corrected request.
        EnrollRequest req = body == null ? new EnrollRequest(null, null, null) : body;
        String name = ClientFields.name(req.name());
        ClientFields.count("numSamples", req.numSamples());
        ClientFields.device(req.device());
        UUID id = UUID.randomUUID();
        String credential = Secrets.generate("hc_");
        clients.insert(id, federation, name, Secrets.hash(credential), req.numSamples(),
                req.device() == null ? null : json.writeValueAsString(req.device()), now);
        clients.useToken(hash, id, now);
        audit.record("client:" + id, "client.enroll", federation.toString(), Map.of("name", name));
        return Map.of("clientId", id.toString(), "federationId", federation.toString(), "credential", credential);
    }
}
