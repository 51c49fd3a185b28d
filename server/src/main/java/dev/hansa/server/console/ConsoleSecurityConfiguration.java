package dev.hansa.server.console;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The console's own chain, ahead of the stateless API chain: form login with a session, CSRF tokens on every form,
 * logout. Everyone with a role reads and manages their own access tokens; other writes, and the create, edit and
 * delete forms, need OPERATOR or ADMIN; the users page, reading
 * included, needs ADMIN. A refused request (no role for it, or a form without its CSRF token) answers 403 with the
 * console's refusal page.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

    static final String ADMIN = "ADMIN";
    static final String OPERATOR = "OPERATOR";
    static final String VIEWER = "VIEWER";
    static final String LOGIN = "/console/login";

    @Bean
    @Order(1)
    SecurityFilterChain console(HttpSecurity http) throws Exception {
        http.securityMatcher("/console", "/console/**", "/webjars/**")
                .authorizeHttpRequests(a -> a
                        .requestMatchers(LOGIN, "/console/assets/**", "/webjars/**").permitAll()
                        .requestMatchers("/console/forbidden").authenticated()
                        .requestMatchers("/console/federations/new", "/console/federations/*/edit",
                                "/console/federations/*/delete").hasAnyRole(ADMIN, OPERATOR)
                        .requestMatchers("/console/tokens", "/console/tokens/**").hasAnyRole(ADMIN, OPERATOR, VIEWER)
                        .requestMatchers("/console/users", "/console/users/**").hasRole(ADMIN)
                        .requestMatchers(HttpMethod.GET, "/console", "/console/**")
                        .hasAnyRole(ADMIN, OPERATOR, VIEWER)
                        .anyRequest().hasAnyRole(ADMIN, OPERATOR))
                .formLogin(f -> f.loginPage(LOGIN).defaultSuccessUrl("/console/federations", true)
                        .failureUrl(LOGIN + "?error"))
                .logout(l -> l.logoutUrl("/console/logout").logoutSuccessUrl(LOGIN + "?logout"))
                .exceptionHandling(e -> e.accessDeniedPage("/console/forbidden"));
        return http.build();
    }
}
