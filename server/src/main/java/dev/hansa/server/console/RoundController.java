package dev.hansa.server.console;

import dev.hansa.server.round.RoundAdminService;
import dev.hansa.server.system.AuditLog;
import dev.hansa.server.system.HansaProblem;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * One round attempt's participants: what each was assigned, what became of its upload, and why it was refused; for
 * operators, cancel the open round or retry the one the federation failed on.
 */
@Controller
class RoundController {

    private final ConsoleQueries queries;
    private final FederationTabs tabs;
    private final RoundAdminService rounds;

    RoundController(ConsoleQueries queries, FederationTabs tabs, RoundAdminService rounds) {
        this.queries = queries;
        this.tabs = tabs;
        this.rounds = rounds;
    }

    @GetMapping("/console/rounds/{roundId}")
    String round(@PathVariable UUID roundId, Model model) {
        ConsoleQueries.RoundKey round = queries.round(roundId).orElseThrow(() ->
                new HansaProblem(HttpStatus.NOT_FOUND, "unknown-round", "no round " + roundId));
        tabs.show(round.federationId(), "overview", model);
        model.addAttribute("round", round);
        model.addAttribute("participants", queries.participants(roundId));
        return "console/round";
    }

    /** Cancels the open round (a running federation opens a new attempt of it); the service refuses any other. */
    @PostMapping("/console/rounds/{roundId}/cancel")
    String cancel(@PathVariable UUID roundId, RedirectAttributes flash) {
        return FormOutcome.redirect(flash, page(roundId), () -> {
            rounds.cancel(roundId, AuditLog.currentActor());
            return page(roundId);
        });
    }

    /** Retries the round a federation failed on, which runs the federation again. */
    @PostMapping("/console/rounds/{roundId}/retry")
    String retry(@PathVariable UUID roundId, RedirectAttributes flash) {
        return FormOutcome.redirect(flash, page(roundId), () -> {
            rounds.retry(roundId, AuditLog.currentActor());
            return page(roundId);
        });
    }

    private static String page(UUID roundId) {
        return "/console/rounds/" + roundId;
    }
}
