package dev.hansa.server.federation;

import dev.hansa.server.system.AuditLog;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.HansaProperties;
import dev.hansa.server.system.JsonObjectBody;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The admin REST API for federations: create, configure, clone, run, pause, stop, delete; enrollment tokens. */
@RestController
@RequestMapping("/api/v1/admin")
class AdminController {

    /** The media type of a JSON Merge Patch (RFC 7396). */
    static final String MERGE_PATCH = "application/merge-patch+json";
    /** What the config endpoints take, for the OpenAPI description. */
    private static final String CONFIG = "A federation config (for PATCH, a JSON Merge Patch of one): name, model, "
            + "strategy, training, update, robustness, schedule, seed; see docs/protocol.md#federation-config";

    /** Request for enrollment tokens. */
    record TokenRequest(Integer count, Long ttlSeconds) {
    }

    private final FederationService service;
    private final HansaProperties properties;

    AdminController(FederationService service, HansaProperties properties) {
        this.properties = properties;
        this.service = service;
    }

    /** The body arrives as bytes: {@link FederationConfig#parse(byte[])} reads the JSON strictly itself. */
    @PostMapping(value = "/federations", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    FederationView create(@JsonObjectBody(CONFIG) @RequestBody byte[] body) {
        return FederationView.of(service.create(FederationConfig.parse(body), AuditLog.currentActor()));
    }

    @GetMapping("/federations")
    List<FederationView> list() {
        return service.all().stream().map(FederationView::of).toList();
    }

    @GetMapping("/federations/{id}")
    FederationView get(@PathVariable UUID id) {
        return FederationView.of(service.require(id));
    }

    /** Replaces the whole config of a federation that has not started. */
    @PutMapping(value = "/federations/{id}/config", consumes = MediaType.APPLICATION_JSON_VALUE)
    FederationView replaceConfig(@PathVariable UUID id, @JsonObjectBody(CONFIG) @RequestBody byte[] body) {
        return FederationView.of(service.updateConfig(id, FederationConfig.parse(body), AuditLog.currentActor()));
    }

    /** Changes part of the config of a federation that has not started: a JSON Merge Patch (RFC 7396). */
    @PatchMapping(value = "/federations/{id}/config", consumes = {MERGE_PATCH, MediaType.APPLICATION_JSON_VALUE})
    FederationView patchConfig(@PathVariable UUID id, @JsonObjectBody(CONFIG) @RequestBody byte[] body) {
        return FederationView.of(service.patchConfig(id, body, AuditLog.currentActor()));
    }

    /** Request to clone a federation: the new federation's name (default: the source's). */
    record CloneRequest(String name) {
    }

    @PostMapping("/federations/{id}/clone")
    @ResponseStatus(HttpStatus.CREATED)
    FederationView cloneFederation(@PathVariable UUID id, @RequestBody(required = false) CloneRequest body) {
        return FederationView.of(service.cloneOf(id, body == null ? null : body.name(), AuditLog.currentActor()));
    }

    @DeleteMapping("/federations/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID id) {
        service.delete(id, AuditLog.currentActor());
    }

    @PutMapping(value = "/federations/{id}/model", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    Map<String, Object> uploadModel(@PathVariable UUID id, HttpServletRequest request)
            throws IOException {
        long limit = properties.maxUploadSize().toBytes();
        if (request.getContentLengthLong() > limit) {
            throw tooLarge(limit);
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
        if (body.length > limit) {
            throw tooLarge(limit);
        }
        return Map.of("modelHash", service.uploadInitialModel(id, body, AuditLog.currentActor()));
    }

    private static HansaProblem tooLarge(long limit) {
        return new HansaProblem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large",
                "the model exceeds hansa.max-upload-size (" + limit + " bytes)");
    }

    /** Issues tokens: {@code tokens} (the secrets, shown once) and {@code ids} (to list and revoke them) in one order. */
    @PostMapping("/federations/{id}/enrollment-tokens")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> tokens(@PathVariable UUID id, @RequestBody(required = false) TokenRequest body) {
        TokenRequest req = body == null ? new TokenRequest(null, null) : body;
        int count = req.count() == null ? 1 : req.count();
        long ttl = req.ttlSeconds() == null ? 86_400 : req.ttlSeconds();
        List<FederationService.IssuedToken> issued = service.issueEnrollmentTokens(id, count, ttl, AuditLog.currentActor());
        return Map.of("tokens", issued.stream().map(FederationService.IssuedToken::token).toList(),
                "ids", issued.stream().map(t -> t.id().toString()).toList(),
                "expiresAt", issued.getFirst().expiresAt().toInstant().toString());
    }

    @GetMapping("/federations/{id}/enrollment-tokens")
    List<Map<String, Object>> enrollmentTokens(@PathVariable UUID id) {
        return service.enrollmentTokens(id);
    }

    @PostMapping("/federations/{id}/enrollment-tokens/{tokenId}/revoke")
    Map<String, Object> revokeEnrollmentToken(@PathVariable UUID id, @PathVariable UUID tokenId) {
        return service.revokeEnrollmentToken(id, tokenId, AuditLog.currentActor());
    }

    @PostMapping("/federations/{id}/start")
    FederationView start(@PathVariable UUID id) {
        return FederationView.of(service.start(id, AuditLog.currentActor()));
    }

    @PostMapping("/federations/{id}/pause")
    FederationView pause(@PathVariable UUID id) {
        return FederationView.of(service.pause(id, AuditLog.currentActor()));
    }

    @PostMapping("/federations/{id}/resume")
    FederationView resume(@PathVariable UUID id) {
        return FederationView.of(service.resume(id, AuditLog.currentActor()));
    }

    @PostMapping("/federations/{id}/stop")
    FederationView stop(@PathVariable UUID id) {
        return FederationView.of(service.stop(id, AuditLog.currentActor()));
    }
}
