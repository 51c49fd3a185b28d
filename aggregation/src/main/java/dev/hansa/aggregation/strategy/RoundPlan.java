package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.tensor.Tensors;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's instructions for a round: one plan per participant, plus tensors every participant downloads
 * besides the model (FedAMD's, the paper's "bullseye"), if the strategy needs any.
 *
 * @param uploadedTensors the tensors the round's updates carry, the others being zero and not sent (Streaming
 *                        DiLoCo's fragment); empty: all. The round's update specs carry it ({@code update.tensors})
 */
public record RoundPlan(Map<String, TrainingPlan> plans, Optional<Tensors> broadcast, List<String> uploadedTensors) {

    public RoundPlan {
        plans = Map.copyOf(plans);
        uploadedTensors = List.copyOf(uploadedTensors);
    }

    /** A plan whose updates carry every tensor. */
    public RoundPlan(Map<String, TrainingPlan> plans, Optional<Tensors> broadcast) {
        this(plans, broadcast, List.of());
    }
}
