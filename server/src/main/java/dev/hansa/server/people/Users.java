package dev.hansa.server.people;

import dev.hansa.server.system.AuditLog;
import dev.hansa.server.system.Timestamps;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The users who administer the server. Every change is audit-logged in the transaction that makes it. */
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
            password = generate ? Passwords.generate() : Passwords.require("hansa.admin.password", bootstrap.password());
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
}
