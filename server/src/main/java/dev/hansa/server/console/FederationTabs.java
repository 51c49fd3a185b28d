package dev.hansa.server.console;

import dev.hansa.server.system.HansaProblem;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/** The header every tab of a federation's pages shows: the federation's name and state, and which tab is open. */
@Component
class FederationTabs {

    private final ConsoleQueries queries;

    FederationTabs(ConsoleQueries queries) {
        this.queries = queries;
    }

    /** Puts the federation and the open tab in the model; 404 (the console's problem page) for an unknown id. */
    void show(UUID id, String tab, Model model) {
        model.addAttribute("federation", queries.federation(id).orElseThrow(() ->
                new HansaProblem(HttpStatus.NOT_FOUND, "unknown-federation", "no federation " + id)));
        model.addAttribute("tab", tab);
    }
}
