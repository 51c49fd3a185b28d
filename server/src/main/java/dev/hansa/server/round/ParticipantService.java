package dev.hansa.server.round;

import dev.hansa.server.security.ClientPrincipal;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.RowViews;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;

/** Participant-level reads and the evaluation reports clients send about a round's global model. */
@Service
public class ParticipantService {

    private final RoundRepository rounds;
    private final ObjectMapper json;
    private final RowViews views;

    ParticipantService(RoundRepository rounds, ObjectMapper json, RowViews views) {
        this.rounds = rounds;
        this.json = json;
        this.views = views;
    }

    public void recordEvaluation(ClientPrincipal client, UUID roundId, Long numExamples, Map<String, Double> metrics) {
        Round round = rounds.find(roundId).filter(r -> r.federationId().equals(client.federationId()))
                .orElseThrow(() -> new HansaProblem(HttpStatus.NOT_FOUND, "unknown-round", "no round " + roundId));
        rounds.participant(round.id(), client.clientId(), false).orElseThrow(() -> new HansaProblem(
                HttpStatus.FORBIDDEN, "not-a-participant", "client was not selected for round " + roundId));
        Map<String, Object> report = new LinkedHashMap<>(metrics);
        if (numExamples != null) {
            report.put("num_examples", numExamples);
        }
        rounds.recordEvaluation(round.id(), client.clientId(), json.writeValueAsString(report));
    }

    /**
     * What became of a round for one of its participants: the round's state, the participant's, and whether its
     * update is part of the round's model ({@code counted}: the round closed with it accepted). The SDK keeps the
     * strategy state that goes with an upload exactly when it was counted.
     */
    public Map<String, Object> outcome(ClientPrincipal client, UUID roundId) {
        Round round = rounds.find(roundId).filter(r -> r.federationId().equals(client.federationId()))
                .orElseThrow(() -> new HansaProblem(HttpStatus.NOT_FOUND, "unknown-round", "no round " + roundId));
        Participant p = rounds.participant(round.id(), client.clientId(), false).orElseThrow(() -> new HansaProblem(
                HttpStatus.FORBIDDEN, "not-a-participant", "client was not selected for round " + roundId));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("roundId", round.id().toString());
        out.put("round", round.number());
        out.put("attempt", round.attempt());
        out.put("state", round.state());
        out.put("participantState", p.state());
        out.put("counted", Round.CLOSED.equals(round.state()) && Participant.ACCEPTED.equals(p.state()));
        return out;
    }

    public java.util.List<Map<String, Object>> rounds(UUID federation) {
        return views.view(rounds.listRounds(federation));
    }

    public java.util.List<Map<String, Object>> participants(UUID round) {
        rounds.find(round).orElseThrow(() -> new HansaProblem(HttpStatus.NOT_FOUND, "unknown-round", "no round " + round));
        return views.view(rounds.listParticipants(round));
    }
}
