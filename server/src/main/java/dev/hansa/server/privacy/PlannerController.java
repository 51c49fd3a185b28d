package dev.hansa.server.privacy;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.privacy.accounting.NoiseMultiplierPlanner;
import dev.hansa.server.system.InvalidField;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The noise planner through the admin API: given a target (epsilon, delta), the rounds and the sampling rate q, the
 * smallest noise multiplier that stays within the target (docs/privacy.md, "The planner"), and the epsilon it
 * reaches. The inverse problem an operator has before creating a DP federation; its answer goes into
 * {@code privacy.noiseMultiplier}, or {@code privacy.targetEpsilon} plans it at creation.
 */
@RestController
@RequestMapping("/api/v1/admin/privacy")
class PlannerController {

    /** Every member of a request, each required. */
    private static final Set<String> FIELDS = new LinkedHashSet<>(List.of("targetEpsilon", "delta", "rounds",
            "samplingRate"));

    private final NoiseMultiplierPlanner planner = new NoiseMultiplierPlanner();

    @PostMapping(value = "/plan", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> plan(@RequestBody Map<String, Object> body) {
        Hyperparameters h = new Hyperparameters("", "the planner", body);
        h.refuseOutside(FIELDS);
        for (String field : FIELDS) {
            if (!h.has(field)) {
                throw new InvalidField(h.field(field), "is required");
            }
        }
        double target = h.real("targetEpsilon", 0, 0, false, 1e6, true);
        double delta = h.real("delta", 0, 0, false, 1, false);
        long rounds = h.integer("rounds", 0, 1, 100_000_000);
        double q = h.real("samplingRate", 0, 0, false, 1, true);
        // Its refusals name the fields as this body does (targetEpsilon, not privacy.targetEpsilon).
        double sigma = planner.noiseMultiplier(q, rounds, target, delta);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("noiseMultiplier", sigma);
        out.put("epsilon", planner.epsilon(q, sigma, rounds, delta));
        out.put("delta", delta);
        out.put("rounds", rounds);
        out.put("samplingRate", q);
        out.put("accountant", "rdp");
        return out;
    }
}
