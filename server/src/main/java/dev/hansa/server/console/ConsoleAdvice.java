package dev.hansa.server.console;

import dev.hansa.server.system.HansaProblem;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.ModelAndView;

/**
 * What every console page needs: who is logged in and whether they may change things (the pages hide write buttons
 * from a VIEWER; the security chain refuses their writes anyway), and a refusal rendered as a page, not as the API's
 * problem JSON. Ordered first so that it, not the API's advice, answers for the console's controllers.
 */
@ControllerAdvice(basePackageClasses = ConsoleAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleAdvice {

    /** The signed-in user for the page header, and what their role allows. */
    record Viewer(String name, String role, boolean canOperate, boolean isAdmin) {
    }

    @ModelAttribute("viewer")
    Viewer viewer(Authentication authentication) {
        if (authentication == null) {
            return null;
        }
        String role = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_")).map(a -> a.substring(5)).findFirst().orElse("");
        boolean admin = role.equals(ConsoleSecurityConfiguration.ADMIN);
        return new Viewer(authentication.getName(), role, admin || role.equals(ConsoleSecurityConfiguration.OPERATOR),
                admin);
    }

    /** A refusal from a service (unknown federation, invalid transition) as the console's error page. */
    @ExceptionHandler(HansaProblem.class)
    ModelAndView problem(HansaProblem problem, Model model) {
        ModelAndView page = new ModelAndView("console/problem", model.asMap(), problem.status());
        page.addObject("reason", problem.reason());
        page.addObject("detail", problem.getMessage());
        return page;
    }
}
