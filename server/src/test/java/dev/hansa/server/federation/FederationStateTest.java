package dev.hansa.server.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The federation lifecycle's allowed transitions, and the SQL guards derived from them. */
class FederationStateTest {

    @Test
    void aFederationRunsFromCreatedOrStoppedAndEndsForGood() {
        assertEquals(List.of("CREATED", "STOPPED"), FederationState.RUNNING.from());
        assertEquals(List.of("RUNNING"), FederationState.STOPPED.from());
        assertEquals(List.of("RUNNING"), FederationState.FINISHED.from());
        assertTrue(FederationState.FINISHED.isFinal() && FederationState.FAILED.isFinal());
        assertThrows(IllegalStateException.class, () -> FederationState.CREATED.checkTransition(FederationState.STOPPED));
    }
}
