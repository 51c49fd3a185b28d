package dev.hansa.server.console;

import java.security.Principal;

/** How the audit log names a change made in the console: {@code user:<name>}. */
final class ConsoleActor {

    private ConsoleActor() {
    }

    static String of(Principal principal) {
        return "user:" + principal.getName();
    }
}
