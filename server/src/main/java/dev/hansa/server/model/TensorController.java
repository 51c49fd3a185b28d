package dev.hansa.server.model;

import dev.hansa.server.security.ClientPrincipal;
import dev.hansa.server.system.HansaProblem;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** Content-addressed downloads for clients: a model version or a round's broadcast, by SHA-256, cacheable forever. */
@RestController
class TensorController {

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private final ModelRepository models;

    TensorController(ModelRepository models) {
        this.models = models;
    }

    @GetMapping("/api/v1/client/tensors/{hash}")
    ResponseEntity<byte[]> tensors(@AuthenticationPrincipal ClientPrincipal me, @PathVariable String hash,
                                   @RequestHeader(value = "If-None-Match", required = false) String ifNoneMatch) {
        if (!HASH.matcher(hash).matches()) {
            throw new HansaProblem(HttpStatus.BAD_REQUEST, "invalid-hash", "a tensor hash is 64 lowercase hex digits");
        }
        byte[] blob = models.blob(me.federationId(), hash).orElseThrow(() -> new HansaProblem(HttpStatus.NOT_FOUND,
                "unknown-tensors", "no model or broadcast " + hash + " in this client's federation"));
        String etag = "\"" + hash + "\"";
        CacheControl cache = CacheControl.maxAge(Duration.ofDays(365)).cachePrivate().immutable();
        if (etag.equals(ifNoneMatch)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(cache).build();
        }
        return ResponseEntity.ok().eTag(etag).cacheControl(cache).contentType(MediaType.APPLICATION_OCTET_STREAM).body(blob);
    }
}
