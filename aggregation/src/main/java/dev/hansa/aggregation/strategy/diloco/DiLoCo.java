package dev.hansa.aggregation.strategy.diloco;

import dev.hansa.aggregation.strategy.TrainingConfig;
import java.util.Map;

/**
 * DiLoCo (Douillard et al., "DiLoCo: Distributed Low-Communication Training of Language Models", arXiv 2311.08105):
 * its name in the registry and its published settings. A round is an outer step: every participant runs H steps of
 * {@link LocalAdamW} from x_t and uploads {@code x_local - x_t}, the negated pseudo-gradient; the server applies
 * Nesterov momentum ({@code FedAvgM} with {@code nesterov}) to the round's mean. DiLoCo with an SGD inner optimizer
 * is strategy {@code fedavgm} with {@code nesterov: true}, {@code serverLearningRate: 0.7}.
 */
public final class DiLoCo {

    public static final String NAME = "diloco";
    /** The outer learning rate, 0.7 (paper; OpenDiLoCo, torchft). */
    public static final double OUTER_LEARNING_RATE = 0.7;
    /** The outer Nesterov momentum, 0.9. */
    public static final double OUTER_MOMENTUM = 0.9;
    /** The inner AdamW learning rate, 4e-4. */
    public static final double INNER_LEARNING_RATE = 4e-4;
    /**
     * Inner steps per round. The paper's H = 500 is 1/176 of an 88,000-step language-model run; a federation's
     * client of a few hundred samples would make 25 passes over its data, so the default is 20 steps.
     */
    public static final int INNER_STEPS = 20;

    private DiLoCo() {
    }

    /**
     * The training section's defaults: {@code steps} AdamW steps at learning rate {@code learningRate} on batches of
     * 32, with the paper's weight decay 0.1, betas (0.9, 0.95) and gradient clipping to norm 1.
     */
    public static TrainingConfig training(int steps, double learningRate) {
        return new TrainingConfig(0, steps, 32, learningRate, Map.of(TrainingConfig.WEIGHT_DECAY, 0.1,
                TrainingConfig.GRADIENT_CLIP_NORM, 1.0, LocalAdamW.BETA1, 0.9, LocalAdamW.BETA2, 0.95));
    }
}
