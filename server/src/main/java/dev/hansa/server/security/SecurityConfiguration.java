package dev.hansa.server.security;

import dev.hansa.server.system.Problems;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.ObjectMapper;

/** One stateless chain for the API: admin tokens for /admin, client credentials for /client, health for all. */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain api(HttpSecurity http, CredentialRepository credentials, ObjectMapper json) throws Exception {
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .addFilterBefore(new BearerTokenFilter(credentials), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/enroll").permitAll()
                        .requestMatchers("/api/v1/admin/**").hasRole("ADMIN")
                        .requestMatchers("/v3/api-docs/**", "/swagger-ui/**").hasRole("ADMIN")
                        .requestMatchers("/api/v1/client/**").hasRole("CLIENT")
                        .anyRequest().denyAll())
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> problem(res, json, HttpStatus.UNAUTHORIZED,
                                "invalid-credential",
                                "a valid bearer credential is required: none was sent, or it is unknown or revoked"))
                        .accessDeniedHandler((req, res, ex) -> problem(res, json, HttpStatus.FORBIDDEN,
                                "forbidden", "this credential may not use " + req.getRequestURI())));
        return http.build();
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
