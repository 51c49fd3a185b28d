package dev.hansa.server.federation;

import dev.hansa.server.model.ModelComparison;
import dev.hansa.server.model.ModelRepository;
import dev.hansa.server.model.ModelVersion;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.InvalidField;
import dev.hansa.server.system.RowViews;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The admin REST API for a federation's model versions: list, download as safetensors, compare two. */
@RestController
@RequestMapping("/api/v1/admin/federations/{id}/models")
class ModelAdminController {

    private final FederationService federations;
    private final ModelRepository models;
    private final RowViews views;

    ModelAdminController(FederationService federations, ModelRepository models, RowViews views) {
        this.federations = federations;
        this.models = models;
        this.views = views;
    }

    /** Every model version: number, hash, size, the round that produced it and that round's metrics. */
    @GetMapping
    List<Map<String, Object>> list(@PathVariable UUID id) {
        federations.require(id);
        return views.view(models.list(id));
    }

    @GetMapping(value = "/latest", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    ResponseEntity<byte[]> latest(@PathVariable UUID id) {
        federations.require(id);
        ModelVersion model = models.latest(id).orElseThrow(() -> new HansaProblem(HttpStatus.NOT_FOUND, "no-model",
                "federation " + id + " has no model yet"));
        return ResponseEntity.ok().eTag("\"" + model.contentHash() + "\"")
                .header("X-Hansa-Model-Version", Integer.toString(model.version())).body(model.blob());
    }

    @GetMapping(value = "/{version:\\d+}", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    ResponseEntity<byte[]> version(@PathVariable UUID id, @PathVariable int version) {
        federations.require(id);
        ModelVersion model = require(id, version, "version");
        return ResponseEntity.ok().eTag("\"" + model.contentHash() + "\"").body(model.blob());
    }

    /** Versions {@code a} and {@code b} side by side: their rounds' metrics and the distance between their weights. */
    @GetMapping("/compare")
    Map<String, Object> compare(@PathVariable UUID id, @RequestParam int a, @RequestParam int b) {
        federations.require(id);
        ModelVersion first = require(id, a, "a");
        ModelVersion second = require(id, b, "b");
        return ModelComparison.of(views.view(models.listed(id, a).orElseThrow()),
                views.view(models.listed(id, b).orElseThrow()), first.blob(), second.blob());
    }

    private ModelVersion require(UUID id, int version, String parameter) {
        if (version < 0) {
            throw new InvalidField(parameter, "a model version is a number >= 0: " + version);
        }
        return models.byVersion(id, version).orElseThrow(() -> new HansaProblem(HttpStatus.NOT_FOUND, "no-model",
                "federation " + id + " has no model version " + version));
    }
}
