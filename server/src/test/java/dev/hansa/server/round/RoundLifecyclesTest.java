package dev.hansa.server.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The round and participant lifecycles' allowed transitions, and the SQL guards derived from them. */
class RoundLifecyclesTest {

    @Test
    void aRoundEndsOnceAndForAll() {
        assertEquals(Set.of(RoundState.CLOSED, RoundState.FAILED, RoundState.CANCELLED), RoundState.OPEN.next());
        for (RoundState end : List.of(RoundState.CLOSED, RoundState.FAILED, RoundState.CANCELLED)) {
            assertTrue(end.isFinal());
            assertEquals(List.of("OPEN"), end.from(), "only an open round may " + end);
            assertThrows(IllegalStateException.class, () -> end.checkTransition(RoundState.OPEN));
        }
        assertEquals(List.of(), RoundState.OPEN.from(), "rounds are inserted open, never reopened");
    }

    @Test
    void aParticipantIsAcceptedOnlyFromAssignedAndMarkedLateFromAssignedOrDropped() {
        assertEquals(List.of("ASSIGNED"), ParticipantState.ACCEPTED.from());
        assertEquals(List.of("ASSIGNED", "DROPPED"), ParticipantState.LATE.from());
        assertEquals(List.of("ASSIGNED"), ParticipantState.DROPPED.from());
        assertThrows(IllegalStateException.class, () -> ParticipantState.ACCEPTED.checkTransition(ParticipantState.LATE));
        ParticipantState.DROPPED.checkTransition(ParticipantState.LATE);
    }
}
