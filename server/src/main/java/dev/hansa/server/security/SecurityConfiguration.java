package dev.hansa.server.security;

import dev.hansa.server.people.TokenAuthentication;
import dev.hansa.server.system.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import tools.jackson.databind.ObjectMapper;

/**
 * The stateless chain of the REST API: bearer tokens only (personal access tokens and admin tokens for people,
 * client credentials for clients), no sessions, no cookies, so no CSRF. Other surfaces (the console) bring their own
 * chain with their own path matcher, ordered before this one, which takes every request they leave. The API's
 * description and Swagger UI have a chain of their own ({@link #apiDocs}), which also takes an ADMIN's console
 * session, so that an admin can open them in a browser; both chains authorize by the one rule table,
 * {@link #rules}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final String[] ANY_USER = {"VIEWER", "OPERATOR", "ADMIN"};
    private static final String[] CHANGERS = {"OPERATOR", "ADMIN"};
    /** The OpenAPI document (JSON, YAML, Swagger UI's config) and Swagger UI's page and assets. */
    private static final String[] API_DOCS = {"/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml",
        "/v3/api-docs.yaml/**", "/swagger-ui.html", "/swagger-ui/**"};
    /** The console's login and refusal pages (the console chain serves them). */
    private static final String CONSOLE_LOGIN = "/console/login";
    private static final String CONSOLE_FORBIDDEN = "/console/forbidden";

    @Bean
    SecurityFilterChain api(HttpSecurity http, CredentialRepository credentials, TokenAuthentication users,
                            ObjectMapper json) throws Exception {
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .addFilterBefore(new BearerTokenFilter(credentials, users), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(SecurityConfiguration::rules)
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized(json))
                        .accessDeniedHandler(forbidden(json)));
        return http.build();
    }

    /**
     * The OpenAPI document and Swagger UI, ahead of the API's chain: a bearer token as on the API, or the console
     * session of the user who logged in there (read, never created here). A browser (a request that asks for HTML)
     * without either is sent to the console's login, and one whose user is not an ADMIN gets the console's refusal
     * page; anything else gets the API's problem details. The chain serves only reads, and Swagger UI's "Try it out"
     * calls the API itself, which takes a bearer token alone: the admin pastes a personal access token into
     * "Authorize" (docs/security.md says why the API takes no session).
     */
    @Bean
    @Order(2)
    SecurityFilterChain apiDocs(HttpSecurity http, CredentialRepository credentials, TokenAuthentication users,
                                ObjectMapper json) throws Exception {
        RequestMatcher browser = browser();
        http.securityMatcher(API_DOCS)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .requestCache(c -> c.requestCache(new NullRequestCache()))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .addFilterBefore(new BearerTokenFilter(credentials, users), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(SecurityConfiguration::rules)
                .exceptionHandling(e -> e
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(CONSOLE_LOGIN),
                                browser)
                        .defaultAuthenticationEntryPointFor(unauthorized(json), AnyRequestMatcher.INSTANCE)
                        .defaultAccessDeniedHandlerFor(consoleRefusal(), browser)
                        .defaultAccessDeniedHandlerFor(forbidden(json), AnyRequestMatcher.INSTANCE));
        return http.build();
    }

    /** A request for a page: one that names HTML in Accept (a browser's navigation; a bare wildcard does not). */
    private static RequestMatcher browser() {
        MediaTypeRequestMatcher html = new MediaTypeRequestMatcher(MediaType.TEXT_HTML,
                MediaType.APPLICATION_XHTML_XML);
        html.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        return html;
    }

    private static AccessDeniedHandler consoleRefusal() {
        AccessDeniedHandlerImpl page = new AccessDeniedHandlerImpl();
        page.setErrorPage(CONSOLE_FORBIDDEN);
        return page;
    }

    private static AuthenticationEntryPoint unauthorized(ObjectMapper json) {
        return (req, res, ex) -> problem(res, json, HttpStatus.UNAUTHORIZED, "invalid-credential",
                unauthenticated(req));
    }

    private static AccessDeniedHandler forbidden(ObjectMapper json) {
        return (req, res, ex) -> problem(res, json, HttpStatus.FORBIDDEN, "forbidden",
                "this credential may not " + req.getMethod() + " " + req.getRequestURI());
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
                .requestMatchers("/api/v1/admin/users/**", "/api/v1/admin/admin-tokens/**").hasRole("ADMIN")
                .requestMatchers(API_DOCS).hasRole("ADMIN")
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
