package dev.hansa.server.round;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.hansa.server.client.ClientFields;
import dev.hansa.server.security.ClientPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
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

/** What a client does in rounds: wait for an assignment, upload its update, learn a round's outcome, report metrics. */
@RestController
@RequestMapping("/api/v1/client")
class ParticipantController {

    /**
     * Evaluation report of a round's global model on local held-out data; members it lacks are ignored
     * (docs/protocol.md).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record MetricsReport(Long numSamples, Map<String, Double> metrics) {
    }

    private final AssignmentService assignments;
    private final IngestService ingest;
    private final ParticipantService participants;

    ParticipantController(AssignmentService assignments, IngestService ingest, ParticipantService participants) {
        this.assignments = assignments;
        this.ingest = ingest;
        this.participants = participants;
    }

    @GetMapping("/assignment")
    Map<String, Object> assignment(@AuthenticationPrincipal ClientPrincipal me,
                                   @RequestParam(defaultValue = "30") long waitSeconds,
                                   @RequestParam(required = false) UUID pendingRound) throws InterruptedException {
        if (waitSeconds < 0) {
            throw new IllegalArgumentException("waitSeconds must be >= 0: " + waitSeconds);
        }
        return assignments.await(me, waitSeconds, pendingRound);
    }

    @PutMapping("/rounds/{roundId}/update")
    ResponseEntity<Map<String, Object>> upload(@AuthenticationPrincipal ClientPrincipal me, @PathVariable UUID roundId,
                                               @RequestHeader(value = "Idempotency-Key", required = false) String key,
                                               HttpServletRequest request) throws IOException {
        IngestService.Outcome outcome = ingest.ingest(me, roundId, key,
                new IngestService.Body(request.getInputStream(), request.getContentLengthLong()));
        return outcome.replayed()
                ? ResponseEntity.ok().header("Idempotent-Replayed", "true").body(outcome.body())
                : ResponseEntity.accepted().body(outcome.body());
    }

    @GetMapping("/rounds/{roundId}")
    Map<String, Object> round(@AuthenticationPrincipal ClientPrincipal me, @PathVariable UUID roundId) {
        return participants.outcome(me, roundId);
    }

    @PostMapping("/rounds/{roundId}/metrics")
    ResponseEntity<Void> metrics(@AuthenticationPrincipal ClientPrincipal me, @PathVariable UUID roundId,
                                 @RequestBody MetricsReport report) {
        ClientFields.count("numSamples", report.numSamples());
        ClientFields.metrics(report.metrics());
        participants.recordEvaluation(me, roundId, report.numSamples(), report.metrics());
        return ResponseEntity.noContent().build();
    }
}
