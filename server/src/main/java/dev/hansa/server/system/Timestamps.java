package dev.hansa.server.system;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.stereotype.Component;

/** The server's notion of now, in UTC, from the {@link Clock} bean (which tests replace to reach deadlines). */
@Component
public class Timestamps {

    private final Clock clock;

    Timestamps(Clock clock) {
        this.clock = clock;
    }

    public OffsetDateTime now() {
        return OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
    }
}
