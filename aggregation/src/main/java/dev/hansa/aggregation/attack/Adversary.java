package dev.hansa.aggregation.attack;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.random.Draws;
import dev.hansa.aggregation.random.Seeds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Byzantine clients of a simulated federation and their attack. A simulation's {@code byzantine} section,
 * {@code {"clients": 2, "attack": "alie", "attackParams": {...}}}, names how many of the federation's clients attack;
 * which ones is drawn from the federation seed, so the same seed makes the same clients Byzantine.
 *
 * @param clients the Byzantine clients' ids
 */
public record Adversary(Set<String> clients, Attack attack) {

    public Adversary {
        clients = Set.copyOf(clients);
        Objects.requireNonNull(attack, "attack");
    }

    public boolean controls(String clientId) {
        return clients.contains(clientId);
    }

    /**
     * Parses the {@code byzantine} section for a federation of clients {@code ids} seeded with {@code seed}; empty
     * when it names no Byzantine client.
     *
     * @throws IllegalArgumentException naming the field
     */
    public static Optional<Adversary> fromMap(Map<String, ?> section, List<String> ids, long seed) {
        Hyperparameters h = new Hyperparameters("byzantine", "the byzantine section", section);
        int count = (int) h.integer("clients", 0, 0, Math.max(0, ids.size() - 1));
        boolean named = h.has("attack");
        if (count == 0) {
            if (named || h.has("attackParams")) {
                throw new IllegalArgumentException("byzantine.attack is set, but byzantine.clients is 0");
            }
            h.done();
            return Optional.empty();
        }
        if (!named) {
            throw new IllegalArgumentException("byzantine.attack is required with byzantine.clients = " + count
                    + "; one of " + Attacks.names());
        }
        String name = h.choice("attack", null, Attacks.names());
        Attack attack = Attacks.create(name, h.section("attackParams", name));
        h.done();
        return Optional.of(new Adversary(drawn(ids, count, seed), attack));
    }

    /**
     * {@code count} of {@code ids}, taken in sorted order at the positions {@code Draws.distinctSorted} draws from the
     * seed {@code Seeds.forClient(seed, "byzantine")}.
     */
    public static Set<String> drawn(List<String> ids, int count, long seed) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(ids));
        Set<String> chosen = new TreeSet<>();
        for (int i : Draws.distinctSorted(sorted.size(), count, Seeds.forClient(seed, "byzantine"))) {
            chosen.add(sorted.get(i));
        }
        return chosen;
    }

    /** The section with the attack's effective parameters and the drawn clients' ids (recorded with the run). */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clients", clients.size());
        out.put("attack", attack.name());
        out.put("attackParams", attack.params());
        out.put("ids", List.copyOf(new TreeSet<>(clients)));
        return out;
    }
}
