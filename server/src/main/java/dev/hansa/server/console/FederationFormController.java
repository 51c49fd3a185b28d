package dev.hansa.server.console;

import dev.hansa.aggregation.aggregate.robust.Aggregators;
import dev.hansa.aggregation.architecture.Architectures;
import dev.hansa.aggregation.sampling.Samplers;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.update.codec.UpdateCodecs;
import dev.hansa.aggregation.update.transform.ErrorFeedbackRules;
import dev.hansa.privacy.mechanism.Denominator;
import dev.hansa.privacy.tree.TreeVariant;
import dev.hansa.server.federation.Federation;
import dev.hansa.server.federation.FederationConfig;
import dev.hansa.server.federation.FederationService;
import dev.hansa.server.system.AuditLog;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.InvalidField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import tools.jackson.databind.ObjectMapper;

/**
 * The federation config form: creates a federation, or edits the config of one that has not started (prefilled with
 * its config). The config goes through the REST API's parser ({@link FederationConfig#parse}) and the service call
 * its POST or PUT makes (which audit-logs the change), so the form accepts exactly what the API accepts; each refusal
 * is shown beside the field it names, or above the form when it is about the config as a whole.
 */
@Controller
@RequestMapping("/console/federations")
class FederationFormController {

    /**
     * Fields a request may carry but the form never binds, whatever the form object holds in the future: ids, states,
     * creation and ownership belong to the server (no mass assignment). Patterns match case-insensitively. The
     * privacy budget is not among them: whoever creates a federation sets its budget.
     */
    static final String[] NOT_BINDABLE = {"id", "*Id", "state", "*State", "created*", "*Created*", "owner*",
            "*Owner"};
    private static final String VIEW = "console/federation-form";

    private final FederationService federations;
    private final ObjectMapper json;

    FederationFormController(FederationService federations, ObjectMapper json) {
        this.federations = federations;
        this.json = json;
    }

    @InitBinder("form")
    void bindOnlyWhatTheFormOwns(WebDataBinder binder) {
        binder.setDisallowedFields(NOT_BINDABLE);
    }

    /**
     * The options of each drop-down: every value the parser accepts (a stored value missing here would be lost when
     * an edit is saved); an empty option means "leave the field out" (its default applies).
     */
    @ModelAttribute("choices")
    Map<String, List<String>> choices() {
        List<String> architectures = new ArrayList<>(Architectures.names());
        architectures.add(FederationConfig.CUSTOM);
        return Map.of("architecture", architectures, "strategy", Strategies.names(),
                "codec", UpdateCodecs.names(), "aggregator", Aggregators.names(), "sampler", Samplers.names(),
                "onNormExceeded", List.of("reject", "clip"),
                "errorFeedbackRule", optional(ErrorFeedbackRules.names().stream()),
                "dpDenominator", optional(Arrays.stream(Denominator.values())
                        .map(d -> d.name().toLowerCase(Locale.ROOT))),
                "dpMechanism", optional(Stream.of("dp-fedavg", "dp-ftrl")),
                "dpTree", optional(Arrays.stream(TreeVariant.values()).map(v -> v.name().toLowerCase(Locale.ROOT))));
    }

    private static List<String> optional(Stream<String> options) {
        List<String> out = new ArrayList<>(List.of(""));
        options.forEach(out::add);
        return out;
    }

    @GetMapping("/new")
    String newForm(Model model) {
        model.addAttribute("form", new FederationForm());
        return VIEW;
    }

    @PostMapping("/new")
    String create(@ModelAttribute("form") FederationForm form, BindingResult errors) {
        return save(form, errors, config -> federations.create(config, AuditLog.currentActor()));
    }

    /** The form with the config of a federation that has not started; 409 (the problem page) once it has. */
    @GetMapping("/{id}/edit")
    String editForm(@PathVariable UUID id, Model model) {
        Federation federation = federations.requireUnstarted(id);
        model.addAttribute("editing", federation);
        model.addAttribute("form", FederationForm.of(federation.config().toMap(), json));
        return VIEW;
    }

    /** Replaces the config, as {@code PUT /api/v1/admin/federations/{id}/config} does. */
    @PostMapping("/{id}/edit")
    String edit(@PathVariable UUID id, @ModelAttribute("form") FederationForm form, BindingResult errors,
                Model model) {
        model.addAttribute("editing", federations.require(id));
        return save(form, errors, config -> federations.updateConfig(id, config, AuditLog.currentActor()));
    }

    /**
     * Parses the form into a config and hands it to {@code store}; on success opens the federation's page, else
     * shows the form again with what was typed and the refusal beside its field.
     */
    private String save(FederationForm form, BindingResult errors, Function<FederationConfig, Federation> store) {
        Optional<Map<String, Object>> config = form.toConfig(json, errors);
        if (config.isEmpty()) {
            return VIEW;
        }
        try {
            Federation saved = store.apply(FederationConfig.parse(json.writeValueAsBytes(config.get())));
            return "redirect:/console/federations/" + saved.id();
        } catch (InvalidField e) {
            reject(errors, Optional.of(e.field()).flatMap(FederationForm::fieldOf), e.getMessage());
        } catch (IllegalArgumentException | HansaProblem e) {
            reject(errors, FederationForm.fieldOf(e.getMessage()), e.getMessage());
        }
        return VIEW;
    }

    private static void reject(BindingResult errors, Optional<String> field, String message) {
        field.ifPresentOrElse(f -> errors.rejectValue(f, "invalid", message),
                () -> errors.reject("invalid", message));
    }
}
