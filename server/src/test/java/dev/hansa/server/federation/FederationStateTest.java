package dev.hansa.server.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The federation lifecycle's allowed transitions, and the SQL guards derived from them. */
class FederationStateTest {

    @Test
    void aFederationRunsFromCreatedStoppedPausedOrFailedAndFinishesForGood() {
        assertEquals(List.of("CREATED", "PAUSED", "STOPPED", "FAILED"), FederationState.RUNNING.from());
        assertEquals(List.of("RUNNING", "PAUSED"), FederationState.STOPPED.from());
        assertEquals(List.of("RUNNING"), FederationState.PAUSED.from());
        assertEquals(List.of("RUNNING", "PAUSED"), FederationState.FINISHED.from(), "the last open round may close");
        assertEquals(List.of("RUNNING"), FederationState.FAILED.from(), "a paused federation opens no round to fail");
        assertTrue(FederationState.FINISHED.isFinal());
        assertFalse(FederationState.FAILED.isFinal(), "an operator may retry its failed round");
        assertThrows(IllegalStateException.class, () -> FederationState.CREATED.checkTransition(FederationState.STOPPED));
        assertThrows(IllegalStateException.class, () -> FederationState.CREATED.checkTransition(FederationState.PAUSED));
    }

    @Test
    void roundsAreDrivenWhileRunningOrPaused() {
        for (FederationState s : FederationState.values()) {
            assertEquals(s == FederationState.RUNNING || s == FederationState.PAUSED, s.isActive(), s.name());
        }
    }
}
