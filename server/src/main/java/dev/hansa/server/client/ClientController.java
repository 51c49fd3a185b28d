package dev.hansa.server.client;

import dev.hansa.server.model.ModelRepository;
import dev.hansa.server.round.AssignmentService;
import dev.hansa.server.round.IngestService;
import dev.hansa.server.round.ParticipantService;
import dev.hansa.server.security.ClientPrincipal;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.HansaProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/** What an enrolled client does: heartbeat, wait for an assignment, download tensors, upload, report metrics. */
@RestController
@RequestMapping("/api/v1/client")
class ClientController {

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    /** Heartbeat body; both fields optional. */
    record Heartbeat(Long numSamples, Map<String, Object> device) {
    }

    /** Evaluation report of a round's global model on local held-out data. */
    record MetricsReport(Long numExamples, Map<String, Double> metrics) {
    }

    private final ClientRepository clients;
    private final AssignmentService assignments;
    private final IngestService ingest;
    private final ParticipantService participants;
    private final ModelRepository models;
    private final HansaProperties properties;
    private final ObjectMapper json;
    private final Clock clock;

    ClientController(ClientRepository clients, AssignmentService assignments, IngestService ingest,
                     ParticipantService participants, ModelRepository models, HansaProperties properties,
                     ObjectMapper json, Clock clock) {
        this.clients = clients;
        this.assignments = assignments;
        this.ingest = ingest;
        this.participants = participants;
        this.models = models;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
    }

    @PostMapping("/heartbeat")
    Map<String, Object> heartbeat(@AuthenticationPrincipal ClientPrincipal me, @RequestBody(required = false) Heartbeat body) {
        Heartbeat hb = body == null ? new Heartbeat(null, null) : body;
        ClientFields.count("numSamples", hb.numSamples());
        ClientFields.device(hb.device());
        clients.heartbeat(me.clientId(), hb.numSamples(), hb.device() == null ? null : json.writeValueAsString(hb.device()), now());
        return Map.of("clientId", me.clientId().toString(), "federationId", me.federationId().toString());
    }

    @GetMapping("/assignment")
    Map<String, Object> assignment(@AuthenticationPrincipal ClientPrincipal me,
                                   @RequestParam(defaultValue = "30") long waitSeconds) throws InterruptedException {
        if (waitSeconds < 0) {
            throw new IllegalArgumentException("waitSeconds must be >= 0: " + waitSeconds);
        }
        clients.heartbeat(me.clientId(), null, null, now());
        return assignments.await(me, waitSeconds);
    }

    @GetMapping("/tensors/{hash}")
    ResponseEntity<byte[]> tensors(@AuthenticationPrincipal ClientPrincipal me, @PathVariable String hash,
                                   @RequestHeader(value = "If-None-Match", required = false) String ifNoneMatch) {
        if (!HASH.matcher(hash).matches()) {
            throw new HansaProblem(HttpStatus.BAD_REQUEST, "invalid-hash", "a tensor hash is 64 lowercase hex digits");
        }
        byte[] blob = models.blob(me.federationId(), hash).orElseThrow(() -> new HansaProblem(HttpStatus.NOT_FOUND,
                "unknown-tensors", "no model or broadcast " + hash + " in this client's federation"));
        String etag = "\"" + hash + "\"";
        CacheControl cache = CacheControl.maxAge(java.time.Duration.ofDays(365)).cachePrivate().immutable();
        if (etag.equals(ifNoneMatch)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(cache).build();
        }
        return ResponseEntity.ok().eTag(etag).cacheControl(cache).contentType(MediaType.APPLICATION_OCTET_STREAM).body(blob);
    }

    @PutMapping("/rounds/{roundId}/update")
    ResponseEntity<Map<String, Object>> upload(@AuthenticationPrincipal ClientPrincipal me, @PathVariable UUID roundId,
                                               @RequestHeader(value = "Idempotency-Key", required = false) String key,
                                               HttpServletRequest request) throws IOException {
        IngestService.Outcome outcome = ingest.ingest(me, roundId, key, () -> readBounded(request));
        return outcome.replayed()
                ? ResponseEntity.ok().header("Idempotent-Replayed", "true").body(outcome.body())
                : ResponseEntity.status(HttpStatus.ACCEPTED).body(outcome.body());
    }

    @GetMapping("/rounds/{roundId}")
    Map<String, Object> round(@AuthenticationPrincipal ClientPrincipal me, @PathVariable UUID roundId) {
        return participants.outcome(me, roundId);
    }

    @PostMapping("/rounds/{roundId}/metrics")
    ResponseEntity<Void> metrics(@AuthenticationPrincipal ClientPrincipal me, @PathVariable UUID roundId,
                                 @RequestBody MetricsReport report) {
        ClientFields.count("numExamples", report.numExamples());
        ClientFields.metrics(report.metrics());
        participants.recordEvaluation(me, roundId, report.numExamples(), report.metrics());
        return ResponseEntity.noContent().build();
    }

    /**
     * Reads the body, refusing with 413 before reading when the declared length exceeds the limit and as soon as a
     * chunked body does. A declared length is read straight into one exact array, so an upload costs its size once.
     */
    private byte[] readBounded(HttpServletRequest request) throws IOException {
        long limit = properties.maxUploadSize().toBytes();
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(limit);
        }
        try (InputStream in = request.getInputStream()) {
            if (declared >= 0) {
                byte[] body = new byte[(int) declared];
                if (readFully(in, body) < body.length) {
                    throw new HansaProblem(HttpStatus.BAD_REQUEST, "truncated-body",
                            "the body ended before its declared Content-Length of " + declared + " bytes");
                }
                return body;
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) {
                throw tooLarge(limit);
            }
            return body;
        }
    }

    /** Bytes read before the end of the stream; a connection the client closed early counts as an end. */
    private static int readFully(InputStream in, byte[] body) {
        try {
            return in.readNBytes(body, 0, body.length);
        } catch (IOException e) {
            return -1;
        }
    }

    private static HansaProblem tooLarge(long limit) {
        return new HansaProblem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large",
                "the update exceeds hansa.max-upload-size (" + limit + " bytes)");
    }
}
