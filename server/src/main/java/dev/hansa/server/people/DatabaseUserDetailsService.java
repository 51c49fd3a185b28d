package dev.hansa.server.people;

import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

/**
 * Users for password logins (the console's form login), read from the users table at every login: authority
 * {@code ROLE_ADMIN}, {@code ROLE_OPERATOR} or {@code ROLE_VIEWER}, and a disabled user cannot log in.
 */
@Service("userDetailsService")
class DatabaseUserDetailsService implements UserDetailsService {

    private final UserRepository users;

    DatabaseUserDetailsService(UserRepository users) {
        this.users = users;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        UserRepository.Credentials user = users.credentials(username)
                .orElseThrow(() -> new UsernameNotFoundException("no user " + username));
        return org.springframework.security.core.userdetails.User.withUsername(user.username())
                .password(user.passwordHash())
                .authorities(user.role().authority())
                .disabled(!user.enabled())
                .build();
    }
}
