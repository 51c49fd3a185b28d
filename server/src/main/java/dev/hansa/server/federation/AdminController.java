package dev.hansa.server.federation;

import dev.hansa.server.model.ModelRepository;
import dev.hansa.server.round.ParticipantService;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.RowViews;
import java.io.IOException;
import java.security.Principal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The admin REST API for federations, rounds and models (admin token). */
@RestController
@RequestMapping("/api/v1/admin")
class AdminController {

    /** Request for enrollment tokens. */
    record TokenRequest(Integer count, Long ttlSeconds) {
    }

    private final FederationService service;
    private final ModelRepository models;
    private final ParticipantService participants;
    private final RowViews views;

    AdminController(FederationService service, ModelRepository models, ParticipantService participants,
                    RowViews views) {
        this.service = service;
        this.models = models;
        this.participants = participants;
        this.views = views;
    }

    private static String actor(Principal principal) {
        return "admin:" + principal.getName();
    }

    /** The body arrives as bytes: {@link FederationConfig#parse(byte[])} reads the JSON strictly itself. */
    @PostMapping(value = "/federations", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> create(@RequestBody byte[] body, Principal principal) {
        return view(service.create(FederationConfig.parse(body), actor(principal)));
    }

    @GetMapping("/federations")
    List<Map<String, Object>> list() {
        return service.all().stream().map(AdminController::view).toList();
    }

    @GetMapping("/federations/{id}")
    Map<String, Object> get(@PathVariable UUID id) {
        return view(service.require(id));
    }

    @PutMapping(value = "/federations/{id}/model", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    Map<String, Object> uploadModel(@PathVariable UUID id, @RequestBody byte[] body, Principal principal) throws IOException {
        return Map.of("modelHash", service.uploadInitialModel(id, body, actor(principal)));
    }

    @PostMapping("/federations/{id}/enrollment-tokens")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> tokens(@PathVariable UUID id, @RequestBody(required = false) TokenRequest body, Principal principal) {
        TokenRequest req = body == null ? new TokenRequest(null, null) : body;
        int count = req.count() == null ? 1 : req.count();
        long ttl = req.ttlSeconds() == null ? 86_400 : req.ttlSeconds();
        return Map.of("tokens", service.issueEnrollmentTokens(id, count, Duration.ofSeconds(ttl), actor(principal)));
    }

    @PostMapping("/federations/{id}/start")
    Map<String, Object> start(@PathVariable UUID id, Principal principal) {
        return view(service.start(id, actor(principal)));
    }

    @PostMapping("/federations/{id}/stop")
    Map<String, Object> stop(@PathVariable UUID id, Principal principal) {
        return view(service.stop(id, actor(principal)));
    }

    @GetMapping("/federations/{id}/rounds")
    List<Map<String, Object>> rounds(@PathVariable UUID id) {
        service.require(id);
        return participants.rounds(id);
    }

    @GetMapping("/rounds/{roundId}/participants")
    List<Map<String, Object>> participants(@PathVariable UUID roundId) {
        return participants.participants(roundId);
    }

    @GetMapping("/federations/{id}/models")
    List<Map<String, Object>> models(@PathVariable UUID id) {
        service.require(id);
        return views.view(models.list(id));
    }

    @GetMapping(value = "/federations/{id}/models/latest", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    ResponseEntity<byte[]> latestModel(@PathVariable UUID id) {
        service.require(id);
        var model = models.latest(id).orElseThrow(() -> new HansaProblem(HttpStatus.NOT_FOUND, "no-model",
                "federation " + id + " has no model yet"));
        return ResponseEntity.ok().eTag("\"" + model.contentHash() + "\"")
                .header("X-Hansa-Model-Version", Integer.toString(model.version())).body(model.blob());
    }

    @GetMapping(value = "/federations/{id}/models/{version:\\d+}", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    ResponseEntity<byte[]> model(@PathVariable UUID id, @PathVariable int version) {
        service.require(id);
        var model = models.byVersion(id, version).orElseThrow(() -> new HansaProblem(HttpStatus.NOT_FOUND,
                "no-model", "federation " + id + " has no model version " + version));
        return ResponseEntity.ok().eTag("\"" + model.contentHash() + "\"").body(model.blob());
    }

    private static Map<String, Object> view(Federation f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", f.id().toString());
        out.put("name", f.name());
        out.put("status", f.status());
        out.put("failureReason", f.failureReason());
        out.put("createdAt", f.createdAt());
        out.put("startedAt", f.startedAt());
        out.put("finishedAt", f.finishedAt());
        out.put("config", f.config().toMap());
        return out;
    }
}
