package dev.hansa.server.system;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Hansa's settings (prefix {@code hansa}); see docs/operations.md.
 *
 * @param adminToken       the configured admin token; changing it revokes the one configured before; when empty and
 *                         no admin token is active, one is generated and logged once
 * @param maxUploadSize    largest accepted update body
 * @param liveWindow       a client counts as live while its last heartbeat is younger than this
 * @param tick             orchestrator period
 * @param ingestPermits    uploads decoded, stored and folded at once; bounds the heap to a few model sizes whatever
 *                         the number of concurrent uploads (bodies arrive in spool files first, without a permit)
 * @param uploadMinRate    bytes per second an upload body must average once {@code uploadGrace} has passed; a
 *                         slower sender is cut off with 408 upload-too-slow
 * @param uploadGrace      how long an upload may take before the minimum rate applies
 * @param uploadWait       how long a second upload of the same participant waits for the first to finish
 * @param roundDir         where rounds of a whole-round pipeline keep their updates' values, one file per open round
 *                         (a cache of the stored updates); unset: {@code rounds} beside {@code hansa.database-dir}
 */
@ConfigurationProperties("hansa")
public record HansaProperties(
        @DefaultValue("") String adminToken,
        @DefaultValue("64MB") DataSize maxUploadSize,
        @DefaultValue("30s") Duration liveWindow,
        @DefaultValue("200ms") Duration tick,
        @DefaultValue("2") int ingestPermits,
        @DefaultValue("16KB") DataSize uploadMinRate,
        @DefaultValue("10s") Duration uploadGrace,
        @DefaultValue("30s") Duration uploadWait,
        Path roundDir) {
}
