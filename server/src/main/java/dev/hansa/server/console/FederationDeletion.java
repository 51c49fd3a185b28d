package dev.hansa.server.console;

import dev.hansa.server.federation.Federation;
import dev.hansa.server.federation.FederationService;
import dev.hansa.server.system.AuditLog;
import java.util.UUID;
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
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Deleting a federation takes two steps: a page that says what goes with it and asks for the federation's name, and
 * the delete itself, which the server does only when the name typed matches (a request without it deletes nothing).
 * The delete goes through the service the REST API's DELETE calls, which audit-logs it and refuses a running or
 * paused federation; that refusal comes back as a flash message on the federation's page.
 */
@Controller
@RequestMapping("/console/federations/{id}/delete")
class FederationDeletion {

    private static final String VIEW = "console/federation-delete";

    private final FederationService federations;
    private final FederationTabs tabs;

    FederationDeletion(FederationService federations, FederationTabs tabs) {
        this.federations = federations;
        this.tabs = tabs;
    }

    @InitBinder("confirmation")
    void bindOnlyTheName(WebDataBinder binder) {
        binder.setAllowedFields("confirmName");
    }

    @GetMapping
    String confirm(@PathVariable UUID id, Model model) {
        tabs.show(id, "overview", model);
        model.addAttribute("confirmation", new DeleteConfirmation());
        return VIEW;
    }

    @PostMapping
    String delete(@PathVariable UUID id, @ModelAttribute("confirmation") DeleteConfirmation confirmation,
                  BindingResult errors, Model model, RedirectAttributes flash) {
        Federation federation = federations.require(id);
        if (!federation.name().equals(confirmation.getConfirmName())) {
            errors.rejectValue("confirmName", "mismatch", "confirmName: type the federation's name, "
                    + federation.name() + ", to delete it");
            tabs.show(id, "overview", model);
            return VIEW;
        }
        return FormOutcome.redirect(flash, "/console/federations/" + id, () -> {
            federations.delete(id, AuditLog.currentActor());
            return "/console/federations";
        });
    }
}
