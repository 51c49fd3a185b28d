package dev.hansa.server.people;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The bootstrap admin's settings (prefix {@code hansa.admin}); see docs/security.md.
 *
 * @param password the password user {@code admin} gets when it is created, at the first start on a database; when
 *                 empty a password is generated and logged once. Later changes go through the users API, not here.
 */
@ConfigurationProperties("hansa.admin")
record AdminAccountProperties(@DefaultValue("") String password) {
}
