package dev.hansa.client.state;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.state.StateCodec;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.HashMap;
import java.util.Map;

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

    /** Whether the state is worth keeping: the strategy or the pipeline holds something. */
    public boolean isEmpty() {
        return strategy.equals(State.EMPTY) && update.equals(State.EMPTY);
    }

    byte[] encode() {
        Map<String, Tensors> tensors = new HashMap<>();
        Map<String, Double> scalars = new HashMap<>();
        strategy.tensors().forEach((k, v) -> tensors.put(STRATEGY + k, v));
        strategy.scalars().forEach((k, v) -> scalars.put(STRATEGY + k, v));
        update.tensors().forEach((k, v) -> tensors.put(UPDATE + k, v));
        update.scalars().forEach((k, v) -> scalars.put(UPDATE + k, v));
        return StateCodec.encode(new State(tensors, scalars));
    }

    static ClientState decode(byte[] bytes) {
        State all = StateCodec.decode(bytes);
        return new ClientState(part(all, STRATEGY), part(all, UPDATE));
    }

    private static State part(State all, String prefix) {
        Map<String, Tensors> tensors = new HashMap<>();
        Map<String, Double> scalars = new HashMap<>();
        all.tensors().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                tensors.put(k.substring(prefix.length()), v);
            }
        });
        all.scalars().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                scalars.put(k.substring(prefix.length()), v);
            }
        });
        return new State(tensors, scalars);
    }
}
