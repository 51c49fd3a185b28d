package dev.hansa.server.console;

import dev.hansa.server.system.HansaProblem;
import java.util.function.Supplier;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * How a console button that changes something ends: the browser is sent on to the page the change leads to, or, when
 * the service refuses it (a 409 invalid transition, a round no longer open), back to the page it came from with the
 * refusal as a flash message that the layout shows, instead of an error page.
 */
final class FormOutcome {

    /** The model attribute the layout shows as the flash message. */
    static final String FLASH = "flash";

    private FormOutcome() {
    }

    /**
     * Runs {@code change}, which answers the console path to go to, and redirects there; on a refusal redirects to
     * {@code onRefusal} with the service's reason and detail as the flash message. Nothing is half-written: the
     * service's transaction rolled back before its refusal reaches here.
     */
    static String redirect(RedirectAttributes flash, String onRefusal, Supplier<String> change) {
        try {
            return "redirect:" + change.get();
        } catch (HansaProblem refused) {
            flash.addFlashAttribute(FLASH, refused.reason() + ": " + refused.getMessage());
            return "redirect:" + onRefusal;
        }
    }
}
