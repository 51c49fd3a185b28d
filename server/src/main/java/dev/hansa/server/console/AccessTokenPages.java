package dev.hansa.server.console;

import dev.hansa.server.people.PersonalAccessTokens;
import dev.hansa.server.system.InvalidField;
import java.security.Principal;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The signed-in person's personal access tokens for the REST API (any role: a token carries its owner's role):
 * listed, created (the secret shown once, in the answer to the request that created it), revoked.
 */
@Controller
@RequestMapping("/console/tokens")
class AccessTokenPages {

    private final PersonalAccessTokens tokens;

    AccessTokenPages(PersonalAccessTokens tokens) {
        this.tokens = tokens;
    }

    @GetMapping
    String list(Principal me, Model model) {
        model.addAttribute("tokens", tokens.of(me.getName()));
        return "console/access-tokens";
    }

    @PostMapping
    String create(@RequestParam String name, @RequestParam String expiresInDays, Principal me, Model model) {
        try {
            model.addAttribute("secret", tokens.create(me.getName(), name, days(expiresInDays)));
        } catch (InvalidField e) {
            model.addAttribute("createError", e.getMessage());
            model.addAttribute("name", name);
            model.addAttribute("expiresInDays", expiresInDays);
        }
        return list(me, model);
    }

    @PostMapping("/{tokenId}/revoke")
    String revoke(@PathVariable UUID tokenId, Principal me) {
        tokens.revoke(me.getName(), tokenId);
        return "redirect:/console/tokens";
    }

    private static Integer days(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidField("expiresInDays", "must be a whole number of days: " + text);
        }
    }
}
