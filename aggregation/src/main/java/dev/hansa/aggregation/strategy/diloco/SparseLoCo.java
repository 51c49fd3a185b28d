package dev.hansa.aggregation.strategy.diloco;

import dev.hansa.aggregation.update.codec.SparseLoCoCodec;
import dev.hansa.aggregation.update.transform.ErrorFeedbackRules;
import java.util.Map;

/**
 * SparseLoCo (Sarfi, Thérien, Lidin, Belilovsky, arXiv 2508.15706) as a preset: DiLoCo's outer loop with the
 * pseudo-gradient compressed by top-k per chunk and 2-bit quantisation (codec {@code sparseloco}) and decayed error
 * feedback ({@code errorFeedbackRule: decayed}, beta 0.95) in place of the outer momentum, and a plain outer SGD
 * step of learning rate 1. The settings are the official 512M sweep's ({@code hparams/512M/sweeps/sparseloco.yaml},
 * COMPRESSION_MORE.md §4): 128 of every 64 x 64 chunk kept, 4 bins, error decay 0.95, H = 15, inner AdamW 1e-3.
 */
public final class SparseLoCo {

    public static final String NAME = "sparseloco";
    /** Outer SGD learning rate, 1.0, momentum 0: with 1 the official code's two placements of it agree. */
    public static final double OUTER_LEARNING_RATE = 1.0;
    /** The inner AdamW learning rate, 1e-3. */
    public static final double INNER_LEARNING_RATE = 1e-3;
    /** Inner steps per round, 15. */
    public static final int INNER_STEPS = 15;
    /**
     * The {@code update} section's fields this preset sets where the config leaves them out; the codec's
     * {@code chunk} 64 and {@code kPerChunk} 128 and the rule's {@code decay} 0.95 are those components' defaults.
     */
    public static final Map<String, Object> UPDATE = Map.of("codec", SparseLoCoCodec.NAME, "errorFeedback", true,
            "errorFeedbackRule", ErrorFeedbackRules.DECAYED);

    private SparseLoCo() {
    }
}
