package dev.hansa.server.system;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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

    /**
     * Now to the microsecond, as PostgreSQL stores it: a deadline written with this value and compared with it, in
     * Java or in SQL, gives one answer (the JDBC driver rounds nanoseconds, so a finer instant can land on either side).
     */
    public OffsetDateTime nowAsStored() {
        return now().truncatedTo(ChronoUnit.MICROS);
    }
}
