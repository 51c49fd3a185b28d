package dev.hansa.client.state;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.state.StateCodec;

/**
 * Everything a client keeps for a federation between rounds: its strategy's state (FedSpeed's h_i, FedAMD's anchor
 * gradient) and its update pipeline's (error-feedback residuals). Both advance together, exactly when the server
 * counted the update they went with, so they are stored as one file: the two parts' entries under the prefixes
 * {@value #STRATEGY} and {@value #UPDATE}.
 */
public record ClientState(State strategy, State update) {

    public static final ClientState EMPTY = new ClientState(State.EMPTY, State.EMPTY);
    private static final String STRATEGY = "strategy:";
    private static final String UPDATE = "update:";

    byte[] encode() {
        return StateCodec.encode(strategy.withPrefix(STRATEGY).plus(update.withPrefix(UPDATE)));
    }

    static ClientState decode(byte[] bytes) {
        State all = StateCodec.decode(bytes);
        return new ClientState(all.part(STRATEGY), all.part(UPDATE));
    }
}
