package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCrypt;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The contract a password login (the console's form login) builds on: the {@code userDetailsService} and
 * {@code passwordEncoder} beans over the users table, checked through Spring Security's own
 * {@link DaoAuthenticationProvider}, the provider a form login uses.
 */
class PasswordLoginTest extends EmbeddedServerTest {

    @Autowired
    UserDetailsService userDetailsService;
    @Autowired
    PasswordEncoder passwordEncoder;

    private DaoAuthenticationProvider login;

    @BeforeEach
    void provider() {
        login = new DaoAuthenticationProvider(userDetailsService);
        login.setPasswordEncoder(passwordEncoder);
    }

    private Authentication logIn(String username, String password) {
        return login.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(username, password));
    }

    /** The role authorities (Spring Security 7 adds factor authorities such as FACTOR_PASSWORD besides them). */
    private static Set<String> roles(Authentication auth) {
        return auth.getAuthorities().stream().map(GrantedAuthority::getAuthority).filter(a -> a.startsWith("ROLE_"))
                .collect(Collectors.toSet());
    }

    private String addUser(String role, boolean enabled, String password) {
        String name = "login-" + UUID.randomUUID().toString().substring(0, 8);
        OffsetDateTime now = OffsetDateTime.now();
        jdbc.sql("""
                INSERT INTO users (id, username, password_hash, role, enabled, created_at, updated_at)
                VALUES (:id, :name, :hash, :role, :enabled, :now, :now)""")
                .param("id", UUID.randomUUID()).param("name", name).param("hash", passwordEncoder.encode(password))
                .param("role", role).param("enabled", enabled).param("now", now).update();
        return name;
    }

    @Test
    void theBootstrapAdminLogsInWithTheConfiguredPasswordAsAdmin() {
        Authentication admin = logIn("admin", ADMIN_PASSWORD);
        assertTrue(admin.isAuthenticated());
        assertEquals(Set.of("ROLE_ADMIN"), roles(admin));
        assertThrows(BadCredentialsException.class, () -> logIn("admin", ADMIN_PASSWORD + "x"));
    }

    @Test
    void passwordsAreStoredAsBcryptHashesNamedByTheDelegatingEncoder() {
        String stored = jdbc.sql("SELECT password_hash FROM users WHERE username = 'admin'").query(String.class)
                .single();
        assertTrue(stored.startsWith("{bcrypt}$2a$10$"), stored);
        assertTrue(BCrypt.checkpw(ADMIN_PASSWORD, stored.substring("{bcrypt}".length())),
                "the hash verifies with plain bcrypt");
        assertFalse(stored.contains(ADMIN_PASSWORD));
    }

    @Test
    void eachRoleBecomesItsAuthority() {
        for (String role : new String[] {"ADMIN", "OPERATOR", "VIEWER"}) {
            String name = addUser(role, true, "a password of " + role);
            assertEquals(Set.of("ROLE_" + role), roles(logIn(name, "a password of " + role)));
        }
    }

    @Test
    void aDisabledUserCannotLogIn() {
        String name = addUser("OPERATOR", false, "disabled user password");
        assertFalse(userDetailsService.loadUserByUsername(name).isEnabled());
        assertThrows(DisabledException.class, () -> logIn(name, "disabled user password"));
    }

    @Test
    void anUnknownUserIsNotFound() {
        assertThrows(UsernameNotFoundException.class, () -> userDetailsService.loadUserByUsername("nobody"));
        assertThrows(BadCredentialsException.class, () -> logIn("nobody", "whatever password"),
                "a login does not tell an unknown user from a wrong password");
    }
}
