package dev.hansa.server.console;

import dev.hansa.server.system.HansaProblem;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** One round attempt's participants: what each was assigned, what became of its upload, and why it was refused. */
@Controller
class RoundController {

    private final ConsoleQueries queries;
    private final FederationTabs tabs;

    RoundController(ConsoleQueries queries, FederationTabs tabs) {
        this.queries = queries;
        this.tabs = tabs;
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
}
