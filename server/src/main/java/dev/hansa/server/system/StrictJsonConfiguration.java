package dev.hansa.server.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Request bodies are read strictly: a member that the body's type does not have answers {@code 400 unknown-field}
 * naming it, instead of being dropped. A misspelt {@code "expiresInDay"} would otherwise give a token the default
 * lifetime without a word, and a member the API does not take (an id, a state, a role on a body that has none)
 * would look accepted. Spring Boot's mapper stays lenient for everything else the server reads (its own stored JSON).
 * Bodies that must stay lenient say so on their type ({@code @JsonIgnoreProperties(ignoreUnknown = true)}): the
 * client API's, for forward compatibility of deployed SDKs (docs/protocol.md, "Unknown members").
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration implements WebMvcConfigurer {

    private final JsonMapper json;

    StrictJsonConfiguration(JsonMapper json) {
        this.json = json;
    }

    /**
     * Takes the JSON converter's place (Boot's configurer, ordered first, has set its own there), with Boot's mapper
     * settings kept; the other converters (bytes, text) keep theirs, ahead of it.
     */
    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder converters) {
        converters.withJsonConverter(new JacksonJsonHttpMessageConverter(json.rebuild()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()));
    }
}
