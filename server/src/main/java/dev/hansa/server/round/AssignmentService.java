package dev.hansa.server.round;

import dev.hansa.server.federation.Federation;
import dev.hansa.server.federation.FederationRepository;
import dev.hansa.server.security.ClientPrincipal;
import dev.hansa.server.system.RowViews;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Long-polling for a client's current assignment, without holding a database connection while waiting. */
@Service
public class AssignmentService {

    private static final long MAX_WAIT_SECONDS = 60;
    private final RoundRepository rounds;
    private final FederationRepository federations;
    private final RoundSignals signals;
    private final ObjectMapper json;

    AssignmentService(RoundRepository rounds, FederationRepository federations, RoundSignals signals, ObjectMapper json) {
        this.rounds = rounds;
        this.federations = federations;
        this.signals = signals;
        this.json = json;
    }

    public Map<String, Object> await(ClientPrincipal client, long waitSeconds) throws InterruptedException {
        long until = System.nanoTime() + Math.clamp(waitSeconds, 0, MAX_WAIT_SECONDS) * 1_000_000_000L;
        while (true) {
            var assignment = rounds.assignment(client.clientId());
            if (assignment.isPresent()) {
                return assigned(assignment.get());
            }
            Federation federation = federations.find(client.federationId()).orElseThrow();
            if (federation.isOver()) {
                return Map.of("state", "FINISHED", "federationState", federation.status());
            }
            long remainingMillis = (until - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                return Map.of("state", "WAITING", "federationState", federation.status());
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

}
