package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.tensor.Tensors;
import java.util.Map;
import java.util.Optional;

/**
 * The server's instructions for a round: one plan per participant, plus tensors every participant downloads
 * besides the model (FedAMD's, the paper's "bullseye"), if the strategy needs any.
 */
public record RoundPlan(Map<String, TrainingPlan> plans, Optional<Tensors> broadcast) {

    public RoundPlan {
        plans = Map.copyOf(plans);
    }
}
