package dev.hansa.server.console;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The audit log, newest first, optionally only the actions that start with a prefix ({@code federation.}). */
@Controller
class AuditController {

    static final int LIMIT = 200;
    private final ConsoleQueries queries;

    AuditController(ConsoleQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/console/audit")
    String audit(@RequestParam(required = false) String action, Model model) {
        String prefix = action == null || action.isBlank() ? null : action.strip();
        model.addAttribute("action", prefix);
        model.addAttribute("entries", queries.audit(prefix, LIMIT));
        model.addAttribute("limit", LIMIT);
        return "console/audit";
    }
}
