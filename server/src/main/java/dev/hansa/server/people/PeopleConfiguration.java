package dev.hansa.server.people;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/** How passwords are hashed: Spring Security's delegating encoder, whose default for new hashes is bcrypt. */
@Configuration(proxyBeanMethods = false)
class PeopleConfiguration {

    /**
     * Encodes with bcrypt (strength 10) and stores the algorithm's id with the hash ({@code {bcrypt}...}), so hashes
     * of another algorithm keep verifying if the default ever changes.
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }
}
