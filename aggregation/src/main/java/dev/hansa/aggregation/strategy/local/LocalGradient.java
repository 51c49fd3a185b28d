package dev.hansa.aggregation.strategy.local;

import dev.hansa.aggregation.strategy.Objective;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;
import java.util.Arrays;

/**
 * The gradient of a client's mean loss over many of its samples (FedAMD's anchor batch, DIFF2's full local
 * gradient), computed in chunks so that memory grows with the chunk, not with the samples: each chunk's mean gradient
 * is added with weight {@code chunk / rows}, so the result is the mean over all rows.
 */
public final class LocalGradient {

    private LocalGradient() {
    }

    /**
     * Writes the gradient of the mean loss over {@code rows} at {@code x} into {@code sum} (which must hold zeros)
     * and returns that mean loss.
     *
     * @param chunk samples per call of the objective, >= 1
     */
    public static double mean(Objective objective, FloatArray x, int[] rows, int chunk, FloatArray sum) {
        Backend b = objective.backend();
        double loss = 0;
        try (FloatArray g = b.allocate(x.length())) {
            for (int start = 0; start < rows.length; start += chunk) {
                int[] part = Arrays.copyOfRange(rows, start, Math.min(rows.length, start + chunk));
                double share = (double) part.length / rows.length;
                loss += share * objective.lossAndGradient(x, part, g);
                b.axpy((float) share, g, sum);
            }
        }
        return loss;
    }
}
