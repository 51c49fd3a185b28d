package dev.hansa.server.federation;

import dev.hansa.server.system.HansaProblem;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Each federation's DP settings (its {@code privacy} section parsed, a {@code targetEpsilon} planned into a noise
 * multiplier; DP-FedAvg's or DP-FTRL's, as {@link DpSettings}), derived once per federation and config version and
 * then reused. The console's live privacy card
 * asks for them on every poll (every two seconds per open federation page), and deriving them means parsing the
 * stored config and, for a {@code targetEpsilon}, running the noise planner twice (once to validate the config, once
 * to configure it): 126 to 246 ms a poll before this cache, 7 ms after (docs/operations.md, "The console's live
 * poll").
 *
 * <p>An entry is valid for the config version it was derived from, a digest of the stored config that the database
 * computes on each call (one indexed row, no parsing), so an edit is seen even where nobody invalidated, e.g. by
 * another server over the same database. Edits and deletes through {@link FederationService} also drop the entry,
 * so that nothing is held for a federation that is gone.
 */
@Component
class PrivacySettingsCache {

    /** The settings derived from the config whose digest is {@code version}; empty for a federation without DP. */
    private record Entry(String version, Optional<DpSettings> settings) {
    }

    private final FederationRepository federations;
    private final Map<UUID, Entry> entries = new ConcurrentHashMap<>();

    PrivacySettingsCache(FederationRepository federations) {
        this.federations = federations;
    }

    /** The federation's DP settings, empty when its config has no {@code privacy} section; 404 if it is gone. */
    Optional<DpSettings> settings(UUID id) {
        Optional<String> version = federations.configVersion(id);
        if (version.isEmpty()) {
            entries.remove(id);
            throw new HansaProblem(HttpStatus.NOT_FOUND, "unknown-federation", "no federation " + id);
        }
        Entry cached = entries.get(id);
        if (cached != null && cached.version().equals(version.get())) {
            return cached.settings();
        }
        // The config is read after its version: one that changes in between is kept under the older version, which
        // the next call finds outdated. The other order could keep an old config under the new version for good.
        FederationConfig config = federations.find(id).orElseThrow(() ->
                new HansaProblem(HttpStatus.NOT_FOUND, "unknown-federation", "no federation " + id)).config();
        Optional<DpSettings> settings = DpSettings.of(config.rounds().protocol());
        entries.put(id, new Entry(version.get(), settings));
        return settings;
    }

    /** Drops what is held for the federation (its config was replaced, or it was deleted). */
    void invalidate(UUID id) {
        entries.remove(id);
    }
}
