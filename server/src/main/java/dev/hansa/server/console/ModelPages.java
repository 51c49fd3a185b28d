package dev.hansa.server.console;

import dev.hansa.server.model.ModelRepository;
import dev.hansa.server.system.HansaProblem;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;

/** A federation's model versions, each downloadable as the safetensors file clients receive. */
@Controller
@RequestMapping("/console/federations/{id}/models")
class ModelPages {

    private final ModelRepository models;
    private final FederationTabs tabs;

    ModelPages(ModelRepository models, FederationTabs tabs) {
        this.models = models;
        this.tabs = tabs;
    }

    @GetMapping
    String list(@PathVariable UUID id, Model model) {
        tabs.show(id, "models", model);
        model.addAttribute("models", models.list(id).reversed());
        return "console/models";
    }

    @GetMapping("/{version:\\d+}")
    ResponseEntity<byte[]> download(@PathVariable UUID id, @PathVariable int version) {
        var found = models.byVersion(id, version).orElseThrow(() -> new HansaProblem(HttpStatus.NOT_FOUND,
                "no-model", "federation " + id + " has no model version " + version));
        String file = "hansa-" + id + "-v" + version + ".safetensors";
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(file).build()
                        .toString())
                .eTag("\"" + found.contentHash() + "\"").body(found.blob());
    }
}
