package dev.hansa.client.training;

import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.data.Dataset;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;
import java.util.function.IntFunction;

/** The evaluation of a built-in network: mean loss and accuracy over a dataset, in chunks of examples. */
final class Evaluator {

    private Evaluator() {
    }

    /**
     * @param model     the network (its spec must be the weights')
     * @param chunk     examples per forward pass: large enough for efficient products, small in memory
     * @param inference buffers without the backward pass, for a capacity
     */
    static Evaluation evaluate(TrainableModel model, Tensors weights, Dataset data, Backend backend, int chunk,
                               int classes, IntFunction<BatchBuffers> inference) {
        if (!weights.spec().equals(model.spec())) {
            throw new IllegalArgumentException("weights do not match the " + model.name() + " spec " + model.spec());
        }
        int size = Math.max(1, Math.min(chunk, data.size()));
        try (FloatArray params = backend.upload(weights.values()); BatchBuffers buffers = inference.apply(size)) {
            double loss = 0;
            long correct = 0;
            float[] logits = new float[size * classes];
            for (int from = 0; from < data.size(); from += size) {
                int rows = Math.min(size, data.size() - from);
                int[] labels = buffers.loadRange(data, from, rows);
                FloatArray out = buffers.forward(params, rows);
                out.copyToHost(0, logits, 0, rows * classes);
                // The logits are on the host already: the loss gradient, which nothing reads, may overwrite them.
                loss += backend.softmaxCrossEntropy(rows, classes, out, labels, out);
                correct += correct(logits, labels, rows, classes);
            }
            return new Evaluation(loss / data.size(), (double) correct / data.size(), data.size());
        }
    }

    /**
     * Rows whose largest logit is their label's. A method of its own, not a loop in {@link #evaluate}: a loop there
     * made the JIT compile evaluate with the whole forward pass inlined, three times per run (on-stack replacement,
     * then normal, then again after a deoptimisation), seconds of compilation on a one-core run.
     */
    private static int correct(float[] logits, int[] labels, int rows, int classes) {
        int correct = 0;
        for (int i = 0; i < rows; i++) {
            if (argmax(logits, i * classes, classes) == labels[i]) {
                correct++;
            }
        }
        return correct;
    }

    private static int argmax(float[] values, int offset, int count) {
        int best = 0;
        for (int j = 1; j < count; j++) {
            if (values[offset + j] > values[offset + best]) {
                best = j;
            }
        }
        return best;
    }
}
