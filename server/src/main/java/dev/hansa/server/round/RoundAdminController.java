package dev.hansa.server.round;

import dev.hansa.server.federation.FederationService;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The admin REST API for rounds and their participants. */
@RestController
@RequestMapping("/api/v1/admin")
class RoundAdminController {

    private final FederationService federations;
    private final ParticipantService participants;

    RoundAdminController(FederationService federations, ParticipantService participants) {
        this.federations = federations;
        this.participants = participants;
    }

    @GetMapping("/federations/{id}/rounds")
    List<Map<String, Object>> rounds(@PathVariable UUID id) {
        federations.require(id);
        return participants.rounds(id);
    }

    @GetMapping("/rounds/{roundId}/participants")
    List<Map<String, Object>> participants(@PathVariable UUID roundId) {
        return participants.participants(roundId);
    }
}
