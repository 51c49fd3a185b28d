package dev.hansa.server.round;

import dev.hansa.server.system.StateMachine;
import java.util.EnumSet;
import java.util.Set;

/**
 * A participant's lifecycle in one round attempt: assigned until its update is accepted or the round ends without it
 * (dropped); a client that uploads after the round ended is marked late. Refused uploads keep it assigned (it may
 * retry) and are counted on its row.
 */
enum ParticipantState implements StateMachine<ParticipantState> {
    ASSIGNED, ACCEPTED, DROPPED, LATE;

    @Override
    public Set<ParticipantState> next() {
        return switch (this) {
            case ASSIGNED -> EnumSet.of(ACCEPTED, DROPPED, LATE);
            case DROPPED -> EnumSet.of(LATE);
            case ACCEPTED, LATE -> EnumSet.noneOf(ParticipantState.class);
        };
    }
}
