package dev.hansa.server.console;

import dev.hansa.server.federation.FederationService;
import dev.hansa.server.system.AuditLog;
import dev.hansa.server.system.HansaProblem;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.ObjectMapper;

/**
 * The federations list and a federation's page: its live round (refreshed by htmx polling the {@code live}
 * fragment), curves of accuracy, loss, bytes and round time, and its rounds; start, pause, resume, stop and
 * clone for operators (through the services the REST API uses, which audit-log each change). Editing the config
 * and deleting have their own pages ({@link FederationFormController}, {@link FederationDeletion}).
 */
@Controller
@RequestMapping("/console/federations")
class FederationPages {

    private final ConsoleQueries queries;
    private final FederationService federations;
    private final ObjectMapper json;

    FederationPages(ConsoleQueries queries, FederationService federations, ObjectMapper json) {
        this.queries = queries;
        this.federations = federations;
        this.json = json;
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("federations", queries.federations());
        return "console/federations";
    }

    @GetMapping("/{id}")
    String federation(@PathVariable UUID id, Model model) {
        live(id, model);
        model.addAttribute("config", federations.require(id).config());
        return "console/federation";
    }

    /**
     * The part of the federation page that polling replaces: state, progress, the privacy budget of a DP federation,
     * the open round, the curves.
     */
    @GetMapping("/{id}/live")
    String live(@PathVariable UUID id, Model model) {
        ConsoleQueries.FederationSummary federation = queries.federation(id).orElseThrow(() ->
                new HansaProblem(HttpStatus.NOT_FOUND, "unknown-federation", "no federation " + id));
        List<ConsoleQueries.RoundSummary> rounds = queries.rounds(id);
        model.addAttribute("federation", federation);
        model.addAttribute("rounds", rounds.reversed());
        model.addAttribute("current", rounds.isEmpty() || !rounds.getLast().open() ? null : rounds.getLast());
        model.addAttribute("series", json.writeValueAsString(RoundSeries.of(rounds)));
        model.addAttribute("privacy", PrivacyBudget.of(federations.privacySettings(id), rounds).orElse(null));
        return "console/federation-live";
    }

    @PostMapping("/{id}/start")
    String start(@PathVariable UUID id, RedirectAttributes flash) {
        return change(id, flash, () -> federations.start(id, AuditLog.currentActor()));
    }

    @PostMapping("/{id}/pause")
    String pause(@PathVariable UUID id, RedirectAttributes flash) {
        return change(id, flash, () -> federations.pause(id, AuditLog.currentActor()));
    }

    @PostMapping("/{id}/resume")
    String resume(@PathVariable UUID id, RedirectAttributes flash) {
        return change(id, flash, () -> federations.resume(id, AuditLog.currentActor()));
    }

    @PostMapping("/{id}/stop")
    String stop(@PathVariable UUID id, RedirectAttributes flash) {
        return change(id, flash, () -> federations.stop(id, AuditLog.currentActor()));
    }

    /** A new CREATED federation with this one's config (and name, as the service keeps it); opens its page. */
    @PostMapping("/{id}/clone")
    String cloneOf(@PathVariable UUID id, RedirectAttributes flash) {
        return FormOutcome.redirect(flash, page(id),
                () -> page(federations.cloneOf(id, null, AuditLog.currentActor()).id()));
    }

    /** A state change of the federation, which stays on its page either way. */
    private static String change(UUID id, RedirectAttributes flash, Runnable transition) {
        return FormOutcome.redirect(flash, page(id), () -> {
            transition.run();
            return page(id);
        });
    }

    private static String page(UUID id) {
        return "/console/federations/" + id;
    }
}
