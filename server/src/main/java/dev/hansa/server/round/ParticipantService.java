package dev.hansa.server.round;

import dev.hansa.server.security.ClientPrincipal;
import dev.hansa.server.system.HansaProblem;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;

/** What a participating client may read about its rounds, and the evaluation reports clients send about a round's global model. */
@Service
class ParticipantService {

    private final RoundRepository rounds;
    private final ObjectMapper json;

    ParticipantService(RoundRepository rounds, ObjectMapper json) {
        this.rounds = rounds;
        this.json = json;
    }

    public void recordEvaluation(ClientPrincipal client, UUID roundId, Long numSamples, Map<String, Double> metrics) {
        Round round = participantRound(client, roundId);
        Map<String, Object> report = new LinkedHashMap<>(metrics);
        if (numSamples != null) {
            report.put("num_samples", numSamples);
        }
        rounds.recordEvaluation(round.id(), client.clientId(), json.writeValueAsString(report));
    }

    /**
     * What became of a round for one of its participants: the round's state, the participant's, and whether its
     * update is part of the round's model ({@code counted}: the round closed with it accepted). The SDK keeps the
     * state that goes with an upload exactly when it was counted.
     */
    public Map<String, Object> outcome(ClientPrincipal client, UUID roundId) {
        participantRound(client, roundId);
        return outcomeIfParticipant(client, roundId).orElseThrow();
    }

    /** {@link #outcome}, or empty when the round is not one of this client's. */
    Optional<Map<String, Object>> outcomeIfParticipant(ClientPrincipal client, UUID roundId) {
        Optional<Round> round = rounds.find(roundId).filter(r -> r.federationId().equals(client.federationId()));
        Optional<Participant> p = round.flatMap(r -> rounds.participant(r.id(), client.clientId(), false));
        if (p.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("roundId", round.get().id().toString());
        out.put("round", round.get().number());
        out.put("attempt", round.get().attempt());
        out.put("state", round.get().state().name());
        out.put("participantState", p.get().state().name());
        out.put("counted", round.get().state() == RoundState.CLOSED && p.get().state() == ParticipantState.ACCEPTED);
        return Optional.of(out);
    }

    private Round participantRound(ClientPrincipal client, UUID roundId) {
        Round round = rounds.find(roundId).filter(r -> r.federationId().equals(client.federationId()))
                .orElseThrow(() -> new HansaProblem(HttpStatus.NOT_FOUND, "unknown-round", "no round " + roundId));
        rounds.participant(round.id(), client.clientId(), false).orElseThrow(() -> new HansaProblem(
                HttpStatus.FORBIDDEN, "not-a-participant", "client was not selected for round " + roundId));
        return round;
    }
}
