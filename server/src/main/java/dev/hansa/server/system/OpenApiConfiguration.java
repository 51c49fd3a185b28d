package dev.hansa.server.system;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.core.MethodParameter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI 3 description springdoc generates from the controllers ({@code /v3/api-docs}, Swagger UI at
 * {@code /swagger-ui/index.html}, both for admins, with a bearer token or from the console): its title, and the
 * bearer credential every endpoint but enrollment and health takes, which Swagger UI's "Try it out" sends too.
 * docs/protocol.md explains what the schemas cannot (formats, limits, every error reason).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String BEARER = "bearer";

    @Bean
    OpenAPI hansaOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Hansa API").version("v1").description("""
                        The admin API (/api/v1/admin/..., a personal access token or the admin token) and the client \
                        API (/api/v1/client/..., a client credential). Errors are RFC 9457 problem details with a \
                        `reason`; docs/protocol.md lists them all."""))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("""
                                Authorization: Bearer <token>, a personal access token (create one in the console \
                                under Access tokens, /console/tokens) or the admin token. "Try it out" sends it: paste \
                                it into Authorize, as the API takes no console session.""")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /** Shows a {@link JsonObjectBody} as the JSON object it is, in every media type the endpoint consumes. */
    @Bean
    OperationCustomizer jsonObjectBodies() {
        return (operation, handler) -> {
            for (MethodParameter parameter : handler.getMethodParameters()) {
                JsonObjectBody body = parameter.getParameterAnnotation(JsonObjectBody.class);
                if (body != null && operation.getRequestBody() != null
                        && operation.getRequestBody().getContent() != null) {
                    operation.getRequestBody().description(body.value());
                    operation.getRequestBody().getContent().values().forEach(type -> type.schema(new ObjectSchema()));
                }
            }
            return operation;
        };
    }
}
