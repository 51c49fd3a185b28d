package dev.hansa.server.round;

import dev.hansa.server.federation.Federation;
import dev.hansa.server.federation.FederationRepository;
import dev.hansa.server.security.ClientPrincipal;
import dev.hansa.server.system.RowViews;
import dev.hansa.server.system.Timestamps;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Long-polling for a client's current assignment, without holding a database connection while waiting. A poll
 * marks the client live, and answers, with the assignment, what became of the round the client still holds pending
 * state for: one call where a client used to need three (heartbeat, outcome, assignment).
 */
@Service
class AssignmentService {

    private static final long MAX_WAIT_SECONDS = 60;
    private final RoundRepository rounds;
    private final FederationRepository federations;
    private final ParticipantService participants;
    private final RoundSignals signals;
    private final ObjectMapper json;
    private final Timestamps time;

    AssignmentService(RoundRepository rounds, FederationRepository federations, ParticipantService participants,
                      RoundSignals signals, ObjectMapper json, Timestamps time) {
        this.rounds = rounds;
        this.federations = federations;
        this.participants = participants;
        this.signals = signals;
        this.json = json;
        this.time = time;
    }

    /**
     * @param pendingRound a round the client holds pending state for, whose outcome to include, or null
     */
    Map<String, Object> await(ClientPrincipal client, long waitSeconds, UUID pendingRound)
            throws InterruptedException {
        rounds.markLive(client.clientId(), time.now());
        Map<String, Object> answer = assignment(client, Math.clamp(waitSeconds, 0, MAX_WAIT_SECONDS));
        if (pendingRound != null) {
            answer.put("pendingRound", participants.outcomeIfParticipant(client, pendingRound)
                    .orElseGet(() -> unknown(pendingRound)));
        }
        return answer;
    }

    private Map<String, Object> assignment(ClientPrincipal client, long waitSeconds) throws InterruptedException {
        long until = System.nanoTime() + waitSeconds * 1_000_000_000L;
        while (true) {
            Optional<Map<String, Object>> assignment = rounds.assignment(client.clientId());
            if (assignment.isPresent()) {
                return assigned(assignment.get());
            }
            Federation federation = federations.find(client.federationId()).orElseThrow();
            long remainingMillis = (until - System.nanoTime()) / 1_000_000;
            if (federation.isOver() || remainingMillis <= 0) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("state", federation.isOver() ? "FINISHED" : "WAITING");
                out.put("federationState", federation.state().name());
                return out;
            }
            // Re-check at least every second: a signal from another replica never reaches this monitor.
            signals.await(client.federationId(), Math.min(remainingMillis, 1000));
        }
    }

    private Map<String, Object> assigned(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", "ASSIGNED");
        out.put("roundId", row.get("round_id").toString());
        out.put("round", row.get("number"));
        out.put("attempt", row.get("attempt"));
        out.put("modelHash", row.get("content_hash"));
        out.put("broadcastHash", row.get("broadcast_hash"));
        out.put("deadline", RowViews.instant(row.get("deadline_at")));
        out.put("plan", json.readValue((String) row.get("plan"), new TypeReference<Map<String, Object>>() { }));
        return out;
    }

    /** A round the client holds state for but did not take part in (as far as this federation knows): nothing counted. */
    private static Map<String, Object> unknown(UUID round) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("roundId", round.toString());
        out.put("state", "UNKNOWN");
        out.put("counted", false);
        return out;
    }
}
