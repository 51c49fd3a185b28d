package dev.hansa.server.console;

import dev.hansa.aggregation.aggregate.robust.Aggregators;
import dev.hansa.aggregation.architecture.Architectures;
import dev.hansa.aggregation.sampling.Samplers;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.update.codec.UpdateCodecs;
import dev.hansa.server.federation.Federation;
import dev.hansa.server.federation.FederationConfig;
import dev.hansa.server.federation.FederationService;
import dev.hansa.server.system.AuditLog;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.InvalidField;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import tools.jackson.databind.ObjectMapper;

/**
 * Creates a federation from the form. The config goes through the REST API's parser ({@link FederationConfig#parse})
 * and the same service call, so the form accepts exactly what the API accepts; each refusal is shown beside the
 * field it names, or above the form when it is about the config as a whole.
 */
@Controller
@RequestMapping("/console/federations/new")
class CreateFederationController {

    /**
     * Fields a request may carry but the form never binds, whatever the form object holds in the future: ids, states
     * and budgets belong to the server (no mass assignment).
     */
    static final String[] NOT_BINDABLE = {"id", "*Id", "state", "*State", "budget", "*Budget", "epsilon*"};

    private final FederationService federations;
    private final ObjectMapper json;

    CreateFederationController(FederationService federations, ObjectMapper json) {
        this.federations = federations;
        this.json = json;
    }

    @InitBinder("form")
    void bindOnlyWhatTheFormOwns(WebDataBinder binder) {
        binder.setDisallowedFields(NOT_BINDABLE);
    }

    @ModelAttribute("choices")
    Map<String, List<String>> choices() {
        return Map.of("architecture", Architectures.names(), "strategy", Strategies.names(),
                "codec", UpdateCodecs.names(), "aggregator", Aggregators.names(), "sampler", Samplers.names(),
                "onNormExceeded", List.of("reject", "clip"));
    }

    @GetMapping
    String form(Model model) {
        model.addAttribute("form", new FederationForm());
        return "console/federation-new";
    }

    @PostMapping
    String create(@ModelAttribute("form") FederationForm form, BindingResult errors) {
        Optional<Map<String, Object>> config = form.toConfig(json, errors);
        if (config.isEmpty()) {
            return "console/federation-new";
        }
        try {
            FederationConfig parsed = FederationConfig.parse(json.writeValueAsBytes(config.get()));
            Federation created = federations.create(parsed, AuditLog.currentActor());
            return "redirect:/console/federations/" + created.id();
        } catch (InvalidField e) {
            reject(errors, Optional.of(e.field()).flatMap(FederationForm::fieldOf), e.getMessage());
        } catch (IllegalArgumentException | HansaProblem e) {
            reject(errors, FederationForm.fieldOf(e.getMessage()), e.getMessage());
        }
        return "console/federation-new";
    }

    private static void reject(BindingResult errors, Optional<String> field, String message) {
        field.ifPresentOrElse(f -> errors.rejectValue(f, "invalid", message),
                () -> errors.reject("invalid", message));
    }
}
