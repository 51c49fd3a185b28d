package dev.hansa.server.console;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;

/** The console's entry, its login page and the page a refused request gets. */
@Controller
class ConsolePages {

    @GetMapping("/console")
    String home() {
        return "redirect:/console/federations";
    }

    @GetMapping(ConsoleSecurityConfiguration.LOGIN)
    String login() {
        return "console/login";
    }

    /** Spring Security forwards refused requests here, whatever their method. */
    @RequestMapping("/console/forbidden")
    @ResponseStatus(HttpStatus.FORBIDDEN)
    String forbidden() {
        return "console/forbidden";
    }
}
