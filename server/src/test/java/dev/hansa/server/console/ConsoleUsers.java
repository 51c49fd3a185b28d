package dev.hansa.server.console;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.UserDetailsManager;

/**
 * One console user per role, added to the server's user store for the tests. The password is stored with the
 * {@code {noop}} prefix that Spring Security's default delegating encoder reads: hashing is not under test here.
 */
final class ConsoleUsers {

    static final String PASSWORD = "correct horse battery staple";
    static final String ADMIN = "alice";
    static final String OPERATOR = "oscar";
    static final String VIEWER = "vera";

    private ConsoleUsers() {
    }

    static void ensure(UserDetailsService users) {
        UserDetailsManager manager = (UserDetailsManager) users;
        add(manager, ADMIN, "ADMIN");
        add(manager, OPERATOR, "OPERATOR");
        add(manager, VIEWER, "VIEWER");
    }

    private static void add(UserDetailsManager manager, String name, String role) {
        if (!manager.userExists(name)) {
            manager.createUser(User.withUsername(name).password("{noop}" + PASSWORD).roles(role).build());
        }
    }
}
