package dev.hansa.server.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer} admin tokens and client credentials. Unknown and revoked secrets leave
 * the request anonymous, so the authorization rules answer 401. Enrollment tokens are checked by the enrollment
 * endpoint itself.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    /** Longer bearer values are not looked up (every secret Hansa issues is 46 characters). */
    static final int MAX_TOKEN = 256;

    private final CredentialRepository credentials;

    BearerTokenFilter(CredentialRepository credentials) {
        this.credentials = credentials;
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
            if (token.startsWith("ha_")) {
                credentials.admin(token).ifPresent(admin -> authenticate(admin, "ROLE_ADMIN"));
            } else if (token.startsWith("hc_")) {
                credentials.client(token).ifPresent(client -> authenticate(client, "ROLE_CLIENT"));
            }
        }
        chain.doFilter(request, response);
    }

    private static void authenticate(Object principal, String role) {
        var auth = new UsernamePasswordAuthenticationToken(principal, null, List.of(new SimpleGrantedAuthority(role)));
        SecurityContextHolder.getContext().setAuthentication(auth);
    }
}
