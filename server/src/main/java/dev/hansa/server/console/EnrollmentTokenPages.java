package dev.hansa.server.console;

import dev.hansa.server.federation.FederationService;
import dev.hansa.server.system.AuditLog;
import dev.hansa.server.system.InvalidField;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A federation's enrollment tokens: listed with their state (never their secrets), issued in batches, revoked. The
 * secrets of a batch are shown once, in the answer to the request that issued them, and stored nowhere else.
 */
@Controller
@RequestMapping("/console/federations/{id}/tokens")
class EnrollmentTokenPages {

    private final FederationService federations;
    private final FederationTabs tabs;

    EnrollmentTokenPages(FederationService federations, FederationTabs tabs) {
        this.federations = federations;
        this.tabs = tabs;
    }

    @GetMapping
    String list(@PathVariable UUID id, Model model) {
        tabs.show(id, "tokens", model);
        model.addAttribute("tokens", federations.enrollmentTokens(id));
        return "console/tokens";
    }

    @PostMapping
    String issue(@PathVariable UUID id, @RequestParam String count, @RequestParam String ttlHours, Model model) {
        try {
            model.addAttribute("issued", federations.issueEnrollmentTokens(id, integer("count", count),
                    integer("ttlHours", ttlHours) * 3600L, AuditLog.currentActor()));
        } catch (InvalidField e) {
            model.addAttribute("issueError", e.getMessage());
        }
        model.addAttribute("count", count);
        model.addAttribute("ttlHours", ttlHours);
        return list(id, model);
    }

    @PostMapping("/{tokenId}/revoke")
    String revoke(@PathVariable UUID id, @PathVariable UUID tokenId) {
        federations.revokeEnrollmentToken(id, tokenId, AuditLog.currentActor());
        return "redirect:/console/federations/" + id + "/tokens";
    }

    private static int integer(String field, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidField(field, "must be a whole number: " + text);
        }
    }
}
