package dev.hansa.server.console;

import dev.hansa.server.people.Role;
import dev.hansa.server.people.Users;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.InvalidField;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The users page, for ADMINs only (the console's chain refuses everyone else): every user with role, state and
 * creation time; create a user (refusals beside the field they name); change a role, disable or enable, reset a
 * password. Every change goes through {@link Users}, the service the users REST API calls, which audit-logs it and
 * refuses to demote or disable the last enabled ADMIN; such a refusal comes back as a flash message.
 */
@Controller
@RequestMapping("/console/users")
class UserPages {

    private static final String PAGE = "/console/users";

    private final Users users;

    UserPages(Users users) {
        this.users = users;
    }

    /** The form binds exactly its three fields (no mass assignment of ids, states or timestamps). */
    @InitBinder("form")
    void bindOnlyWhatTheFormOwns(WebDataBinder binder) {
        binder.setAllowedFields("username", "password", "role");
    }

    @ModelAttribute("roles")
    List<String> roles() {
        return Arrays.stream(Role.values()).map(Role::name).toList();
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("form", new NewUserForm());
        return page(model);
    }

    @PostMapping
    String create(@ModelAttribute("form") NewUserForm form, BindingResult errors, Model model) {
        try {
            users.create(form.getUsername(), form.getPassword(), form.getRole());
            return "redirect:" + PAGE;
        } catch (InvalidField e) {
            errors.rejectValue(e.field(), e.reason(), e.getMessage());
        } catch (HansaProblem e) {
            // the one other refusal of a create: the username is taken
            errors.rejectValue("username", e.reason(), e.getMessage());
        }
        form.setPassword("");
        return page(model);
    }

    @PostMapping("/{userId}/role")
    String changeRole(@PathVariable UUID userId, @RequestParam String role, RedirectAttributes flash) {
        return change(flash, u -> u.changeRole(userId, role));
    }

    @PostMapping("/{userId}/disable")
    String disable(@PathVariable UUID userId, RedirectAttributes flash) {
        return change(flash, u -> u.setEnabled(userId, false));
    }

    @PostMapping("/{userId}/enable")
    String enable(@PathVariable UUID userId, RedirectAttributes flash) {
        return change(flash, u -> u.setEnabled(userId, true));
    }

    @PostMapping("/{userId}/password")
    String resetPassword(@PathVariable UUID userId, @RequestParam String password, RedirectAttributes flash) {
        return change(flash, u -> u.resetPassword(userId, password));
    }

    private String page(Model model) {
        model.addAttribute("users", users.all());
        return "console/users";
    }

    /** A change to one user, back to the page; a refusal (the last ADMIN, a short password) as the flash message. */
    private String change(RedirectAttributes flash, Consumer<Users> change) {
        return FormOutcome.redirect(flash, PAGE, () -> {
            change.accept(users);
            return PAGE;
        });
    }
}
