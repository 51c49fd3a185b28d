package dev.hansa.server.system;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a request body that a handler takes as raw bytes to parse strictly itself, but that is a JSON object: the
 * OpenAPI description shows it as one, with this description, instead of as a byte string.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface JsonObjectBody {

    /** What the object holds, and where it is documented. */
    String value();
}
