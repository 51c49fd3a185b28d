package dev.hansa.server.round;

import dev.hansa.server.system.AuditLog;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The admin REST API for rounds and their participants. */
@RestController
@RequestMapping("/api/v1/admin")
class RoundAdminController {

    private final RoundAdminService rounds;

    RoundAdminController(RoundAdminService rounds) {
        this.rounds = rounds;
    }


    @GetMapping("/federations/{id}/rounds")
    List<Map<String, Object>> rounds(@PathVariable UUID id) {
        return rounds.list(id);
    }

    @GetMapping("/rounds/{roundId}")
    Map<String, Object> round(@PathVariable UUID roundId) {
        return rounds.detail(roundId);
    }

    @GetMapping("/rounds/{roundId}/participants")
    List<Map<String, Object>> participants(@PathVariable UUID roundId) {
        return rounds.participants(roundId);
    }

    @PostMapping("/rounds/{roundId}/cancel")
    Map<String, Object> cancel(@PathVariable UUID roundId) {
        return rounds.cancel(roundId, AuditLog.currentActor());
    }

    @PostMapping("/rounds/{roundId}/retry")
    Map<String, Object> retry(@PathVariable UUID roundId) {
        return rounds.retry(roundId, AuditLog.currentActor());
    }
}
