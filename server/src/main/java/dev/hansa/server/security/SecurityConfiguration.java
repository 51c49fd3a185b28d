package dev.hansa.server.security;

import dev.hansa.server.people.TokenAuthentication;
import dev.hansa.server.system.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.ObjectMapper;

/**
 * The stateless chain of the REST API: bearer tokens only (personal access tokens and admin tokens for people,
 * client credentials for clients), no sessions, no cookies, so no CSRF. Other surfaces (the console) bring their own
 * chain with their own path matcher, ordered before this one, which takes every request they leave.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final String[] ANY_USER = {"VIEWER", "OPERATOR", "ADMIN"};
    private static final String[] CHANGERS = {"OPERATOR", "ADMIN"};

    @Bean
    SecurityFilterChain api(HttpSecurity http, CredentialRepository credentials, TokenAuthentication users,
                            ObjectMapper json) throws Exception {
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .addFilterBefore(new BearerTokenFilter(credentials, users), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(SecurityConfiguration::rules)
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> problem(res, json, HttpStatus.UNAUTHORIZED,
                                "invalid-credential", unauthenticated(req)))
                        .accessDeniedHandler((req, res, ex) -> problem(res, json, HttpStatus.FORBIDDEN, "forbidden",
                                "this credential may not " + req.getMethod() + " " + req.getRequestURI())));
        return http.build();
    }

    /**
     * Who may call what, by path and method, first match wins; a path no rule names is denied to everyone, so a new
     * endpoint is either covered by a rule here or unreachable (and the security matrix test fails).
     * <ul>
     *   <li>health, {@code /error}: anyone; {@code POST /api/v1/enroll}: anyone (it checks its enrollment token)</li>
     *   <li>{@code /api/v1/client/**}: clients only</li>
     *   <li>{@code /api/v1/me/**}: any user (their identity and personal access tokens)</li>
     *   <li>{@code /api/v1/admin/users/**}, {@code /api/v1/admin/admin-tokens/**}, the OpenAPI document and Swagger
     *       UI: ADMIN</li>
     *   <li>{@code /api/v1/admin/**}: reads (GET, HEAD) for VIEWER, OPERATOR, ADMIN; every other method for
     *       OPERATOR and ADMIN</li>
     * </ul>
     */
    private static void rules(
            AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry a) {
        a.requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll()
                .requestMatchers(HttpMethod.POST, "/api/v1/enroll").permitAll()
                .requestMatchers("/api/v1/client/**").hasRole("CLIENT")
                .requestMatchers("/api/v1/me/**").hasAnyRole(ANY_USER)
                .requestMatchers("/api/v1/admin/users/**", "/api/v1/admin/admin-tokens/**",
                        "/v3/api-docs/**", "/v3/api-docs.yaml/**", "/swagger-ui.html", "/swagger-ui/**")
                .hasRole("ADMIN")
                .requestMatchers(HttpMethod.GET, "/api/v1/admin/**").hasAnyRole(ANY_USER)
                .requestMatchers(HttpMethod.HEAD, "/api/v1/admin/**").hasAnyRole(ANY_USER)
                .requestMatchers("/api/v1/admin/**").hasAnyRole(CHANGERS)
                .anyRequest().denyAll();
    }

    /** Why a request is unauthenticated: what was wrong with its token when it sent a known one. */
    private static String unauthenticated(HttpServletRequest req) {
        return req.getAttribute(BearerTokenFilter.REFUSAL) instanceof String why ? why
                : "a valid bearer credential is required: none was sent, or it is unknown or revoked";
    }

    /**
     * Requests that Spring Security's firewall refuses before any rule runs (an encoded or doubled slash, {@code ..},
     * a {@code ;} in the path, an unknown method, a control character in a header) get a problem detail too.
     */
    @Bean
    RequestRejectedHandler rejectedAsProblem(ObjectMapper json) {
        return (req, res, ex) -> problem(res, json, HttpStatus.BAD_REQUEST, "malformed-request",
                "the request was refused before it reached the API: " + ex.getMessage());
    }

    private static void problem(HttpServletResponse res, ObjectMapper json, HttpStatus status, String reason,
                                String detail) throws IOException {
        if (status == HttpStatus.UNAUTHORIZED) {
            res.setHeader("WWW-Authenticate", "Bearer");
        }
        Problems.write(res, json, Problems.of(status, reason, detail));
    }
}
