package dev.hansa.server.security;

import dev.hansa.server.people.TokenAuthentication;
import dev.hansa.server.people.TokenUser;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer} secrets by their prefix: personal access tokens ({@code hp_}) and admin
 * tokens ({@code ha_}) as their user with the user's role (an admin token acts as the bootstrap admin), client
 * credentials ({@code hc_}) as the client. Unknown, revoked and expired secrets, and tokens of disabled users, leave
 * the request anonymous, so the authorization rules answer 401, with why in {@link #REFUSAL}. Enrollment tokens are
 * checked by the enrollment endpoint itself.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    /** Longer bearer values are not looked up (every secret Hansa issues is 46 characters). */
    static final int MAX_TOKEN = 256;
    /** Request attribute: why a known token was refused, for the 401 answer's detail. */
    static final String REFUSAL = BearerTokenFilter.class.getName() + ".refusal";

    private final CredentialRepository credentials;
    private final TokenAuthentication users;

    BearerTokenFilter(CredentialRepository credentials, TokenAuthentication users) {
        this.credentials = credentials;
        this.users = users;
    }

    static String bearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() || token.length() > MAX_TOKEN ? null : token;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = bearer(request);
        if (token != null) {
            if (token.startsWith(TokenAuthentication.PREFIX)) {
                users.personal(token).ifPresentOrElse(BearerTokenFilter::authenticate,
                        () -> request.setAttribute(REFUSAL, users.refusal(token)));
            } else if (token.startsWith("ha_")) {
                credentials.adminTokenId(token).ifPresent(id -> users.bootstrapAdmin(id).ifPresentOrElse(
                        BearerTokenFilter::authenticate, () -> request.setAttribute(REFUSAL,
                                "admin tokens act as user admin, who is disabled")));
            } else if (token.startsWith("hc_")) {
                credentials.client(token).ifPresent(client -> authenticate(client, "ROLE_CLIENT"));
            }
        }
        chain.doFilter(request, response);
    }

    private static void authenticate(TokenUser user) {
        authenticate(user, user.role().authority());
    }

    private static void authenticate(Principal principal, String role) {
        var auth = UsernamePasswordAuthenticationToken.authenticated(principal, null,
                List.of(new SimpleGrantedAuthority(role)));
        SecurityContextHolder.getContext().setAuthentication(auth);
    }
}
