package dev.hansa.server.round;

import dev.hansa.server.system.AfterCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * What rounds and uploads do, as Micrometer meters (Prometheus names in brackets): rounds opened
 * ({@code hansa_rounds_opened_total}) and ended by outcome ({@code hansa_rounds_ended_total{outcome}}), their duration
 * from open to end ({@code hansa_round_duration_seconds{outcome}}), uploads accepted and rejected by reason
 * ({@code hansa_uploads_total{outcome,reason}}) and the bytes of accepted uploads ({@code hansa_ingest_bytes_total}).
 * Events inside a transaction count once it commits, so a rolled-back change is never counted.
 */
@Component
class RoundMetrics {

    private final MeterRegistry registry;
    private final Counter opened;
    private final Counter ingestBytes;

    RoundMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.opened = Counter.builder("hansa.rounds.opened").description("Round attempts opened").register(registry);
        this.ingestBytes = Counter.builder("hansa.ingest.bytes").baseUnit("bytes")
                .description("Bytes of accepted update uploads").register(registry);
        for (RoundState end : RoundState.OPEN.next()) {
            ended(end); // every outcome is exported from the start, at zero
        }
        uploads("accepted", "none");
    }

    void roundOpened() {
        AfterCommit.run(opened::increment);
    }

    /** A round ended {@code CLOSED}, {@code FAILED} or {@code CANCELLED}, having opened at {@code openedAt}. */
    void roundEnded(RoundState state, OffsetDateTime openedAt, OffsetDateTime endedAt) {
        AfterCommit.run(() -> {
            ended(state).increment();
            duration(state).record(Duration.between(openedAt, endedAt));
        });
    }

    void uploadAccepted(long bytes) {
        AfterCommit.run(() -> {
            uploads("accepted", "none").increment();
            ingestBytes.increment(bytes);
        });
    }

    /** An upload refused with {@code reason} (a problem's stable reason code). */
    void uploadRejected(String reason) {
        AfterCommit.run(() -> uploads("rejected", reason).increment());
    }

    private Counter ended(RoundState state) {
        return Counter.builder("hansa.rounds.ended").tag("outcome", outcome(state))
                .description("Round attempts ended, by outcome").register(registry);
    }

    private Timer duration(RoundState state) {
        return Timer.builder("hansa.round.duration").tag("outcome", outcome(state))
                .description("Time from a round's opening to its end").register(registry);
    }

    private Counter uploads(String outcome, String reason) {
        return Counter.builder("hansa.uploads").tag("outcome", outcome).tag("reason", reason)
                .description("Update uploads, accepted or rejected by reason").register(registry);
    }

    private static String outcome(RoundState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
