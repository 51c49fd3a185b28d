package dev.hansa.server.model;

import dev.hansa.aggregation.tensor.ModelDelta;
import dev.hansa.server.security.ClientPrincipal;
import dev.hansa.server.system.HansaProblem;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Content-addressed downloads for clients: a model version or a round's broadcast, by SHA-256, cacheable forever. A
 * client that holds an earlier version names its hash in {@code ?base=}; when that is a file of its federation of
 * the same length and the {@link ModelDelta} is smaller, the answer is the delta ({@code application/vnd.hansa.delta}),
 * else the full file, so a client always gets something it can turn into exactly the bytes it asked for.
 */
@RestController
class TensorController {

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    /** The media type of a {@link ModelDelta} frame (docs/protocol.md, "Model deltas"). */
    static final MediaType DELTA = MediaType.parseMediaType("application/vnd.hansa.delta");
    private final ModelRepository models;

    TensorController(ModelRepository models) {
        this.models = models;
    }

    @GetMapping("/api/v1/client/tensors/{hash}")
    ResponseEntity<byte[]> tensors(@AuthenticationPrincipal ClientPrincipal me, @PathVariable String hash,
                                   @RequestParam(value = "base", required = false) String base,
                                   @RequestHeader(value = "If-None-Match", required = false) String ifNoneMatch) {
        checkHash(hash, "tensor hash");
        byte[] blob = models.blob(me.federationId(), hash).orElseThrow(() -> new HansaProblem(HttpStatus.NOT_FOUND,
                "unknown-tensors", "no model or broadcast " + hash + " in this client's federation"));
        String etag = "\"" + hash + "\"";
        CacheControl cache = CacheControl.maxAge(Duration.ofDays(365)).cachePrivate().immutable();
        if (etag.equals(ifNoneMatch)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(cache).build();
        }
        if (base != null) {
            checkHash(base, "base");
            Optional<byte[]> delta = base.equals(hash) ? Optional.empty()
                    : models.blob(me.federationId(), base).flatMap(held -> ModelDelta.encode(held, blob));
            if (delta.isPresent()) {
                return ResponseEntity.ok().eTag(etag).cacheControl(cache).contentType(DELTA).body(delta.get());
            }
        }
        return ResponseEntity.ok().eTag(etag).cacheControl(cache).contentType(MediaType.APPLICATION_OCTET_STREAM).body(blob);
    }

    private static void checkHash(String hash, String what) {
        if (!HASH.matcher(hash).matches()) {
            throw new HansaProblem(HttpStatus.BAD_REQUEST, "invalid-hash", "a " + what + " is 64 lowercase hex digits");
        }
    }
}
