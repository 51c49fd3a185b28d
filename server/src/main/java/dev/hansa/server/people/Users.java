package dev.hansa.server.people;

import dev.hansa.server.system.AuditLog;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.Timestamps;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The users who administer the server. Every change is audit-logged in the transaction that makes it, and no change
 * leaves the server without an enabled ADMIN.
 */
@Service
public class Users {

    private final UserRepository users;
    private final PasswordEncoder encoder;
    private final AuditLog audit;
    private final Timestamps time;
    private final AdminAccountProperties bootstrap;

    Users(UserRepository users, PasswordEncoder encoder, AuditLog audit, Timestamps time,
          AdminAccountProperties bootstrap) {
        this.users = users;
        this.encoder = encoder;
        this.audit = audit;
        this.time = time;
        this.bootstrap = bootstrap;
    }

    /**
     * Creates user {@code admin} (role ADMIN) when it does not exist yet, with {@code hansa.admin.password} or, when
     * that is empty, a generated password, which is returned so that it can be shown once. Empty when the user
     * existed: the setting only seeds the first start, after which the users API owns the password.
     */
    @Transactional
    public Optional<String> bootstrapAdmin() {
        if (users.find(Usernames.BOOTSTRAP_ADMIN).isPresent()) {
            return Optional.empty();
        }
        boolean generate = bootstrap.password().isEmpty();
        String password;
        try {
            password = generate ? Passwords.generate()
                    : Passwords.require("hansa.admin.password", bootstrap.password());
        } catch (RuntimeException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return users.insert(Usernames.BOOTSTRAP_ADMIN, encoder.encode(password), Role.ADMIN, time.now())
                .map(id -> {
                    audit.record(AuditLog.STARTUP, "user.create", id.toString(),
                            Map.of("username", Usernames.BOOTSTRAP_ADMIN, "role", Role.ADMIN.name(),
                                    "password", generate ? "generated" : "hansa.admin.password"));
                    return password;
                })
                .filter(p -> generate);
    }

    public List<User> all() {
        return users.all();
    }

    public User require(UUID id) {
        return users.find(id).orElseThrow(() -> unknown(id));
    }

    /** A new enabled user; every field is checked before anything is written. */
    @Transactional
    public User create(String username, String password, String role) {
        String name = Usernames.require("username", username);
        String checked = Passwords.require("password", password);
        Role parsed = Role.parse("role", role);
        UUID id = users.insert(name, encoder.encode(checked), parsed, time.now()).orElseThrow(() ->
                new HansaProblem(HttpStatus.CONFLICT, "username-taken", "username: " + name + " is taken"));
        audit.record("user.create", id.toString(), Map.of("username", name, "role", parsed.name()));
        return require(id);
    }

    /** Gives the user another role; the last enabled ADMIN keeps theirs. Setting the current role changes nothing. */
    @Transactional
    public User changeRole(UUID id, String role) {
        Role parsed = Role.parse("role", role);
        int admins = users.lockEnabledAdmins();
        User user = users.lock(id).orElseThrow(() -> unknown(id));
        if (user.role() == parsed) {
            return user;
        }
        if (parsed != Role.ADMIN) {
            requireAnotherAdmin(user, admins, "demote");
        }
        users.updateRole(id, parsed, time.now());
        audit.record("user.role", id.toString(),
                Map.of("username", user.username(), "from", user.role().name(), "to", parsed.name()));
        return require(id);
    }

    /**
     * Enables or disables the user: a disabled user cannot log in and their tokens answer 401 until they are enabled
     * again. The last enabled ADMIN cannot be disabled. Setting the current state changes nothing.
     */
    @Transactional
    public User setEnabled(UUID id, boolean enabled) {
        int admins = users.lockEnabledAdmins();
        User user = users.lock(id).orElseThrow(() -> unknown(id));
        if (user.enabled() == enabled) {
            return user;
        }
        if (!enabled) {
            requireAnotherAdmin(user, admins, "disable");
        }
        users.updateEnabled(id, enabled, time.now());
        audit.record(enabled ? "user.enable" : "user.disable", id.toString(), Map.of("username", user.username()));
        return require(id);
    }

    /** Sets a new password, which the user's next login needs; their tokens keep working. */
    @Transactional
    public User resetPassword(UUID id, String password) {
        String checked = Passwords.require("password", password);
        User user = users.lock(id).orElseThrow(() -> unknown(id));
        users.updatePassword(id, encoder.encode(checked), time.now());
        audit.record("user.password-reset", id.toString(), Map.of("username", user.username()));
        return require(id);
    }

    private static void requireAnotherAdmin(User user, int enabledAdmins, String change) {
        if (user.role() == Role.ADMIN && user.enabled() && enabledAdmins <= 1) {
            throw new HansaProblem(HttpStatus.CONFLICT, "last-admin", "user " + user.username()
                    + " is the last enabled ADMIN; make another user ADMIN before you " + change + " them");
        }
    }

    private static HansaProblem unknown(UUID id) {
        return new HansaProblem(HttpStatus.NOT_FOUND, "unknown-user", "no user " + id);
    }
}
