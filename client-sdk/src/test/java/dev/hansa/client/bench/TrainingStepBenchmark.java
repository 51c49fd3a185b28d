package dev.hansa.client.bench;

import dev.hansa.aggregation.architecture.ConvArchitecture;
import dev.hansa.aggregation.strategy.Objective;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.training.ConvNetwork;
import dev.hansa.client.training.DenseNetwork;
import dev.hansa.client.training.TrainableModel;
import dev.hansa.compute.Backend;
import dev.hansa.compute.Backends;
import dev.hansa.compute.FloatArray;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One SGD training step of a built-in model on 28 x 28 images as LocalSgd runs it: stage the batch on the backend,
 * forward, softmax cross-entropy (the loss comes back to the host), backward, then w -= lr * g on the backend. By
 * default the MLP 784-1024-1024-10 at batch 256; {@code -p hidden=200 -p batch=32} is the step {@code hansa simulate}
 * repeats, {@code -p model=cnn -p hidden=500 -p batch=32} ByzFL's {@code cnn_mnist}. Samples/s = batch / time;
 * native-bindings/bin/bench converts. {@code backend} is cpu, java or cuda.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TrainingStepBenchmark {

    private static final int SAMPLES = 4096;

    @Param({"cpu"})
    public String backend;

    /** mlp, or cnn: ByzFL's cnn_mnist conv blocks with {@link #hidden} as its dense head. */
    @Param({"mlp"})
    public String model;

    @Param({"256"})
    public int batch;

    /** Hidden widths separated by 'x' (JMH splits parameter lists at commas): 1024x1024, 200 for simulate's. */
    @Param({"1024x1024"})
    public String hidden;

    private Backend be;
    private Objective objective;
    private FloatArray params;
    private FloatArray grad;
    private int[][] batches;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        be = Backends.choose(backend).backend();
        int[] widths = Arrays.stream(hidden.split("x")).mapToInt(Integer::parseInt).toArray();
        TrainableModel net = switch (model) {
            case "mlp" -> DenseNetwork.mlp(784, widths, 10);
            case "cnn" -> new ConvNetwork(ConvArchitecture.mnist(widths, 10));
            default -> throw new IllegalArgumentException("model must be mlp or cnn: " + model);
        };
        SplittableRandom r = new SplittableRandom(7);
        float[] features = new float[SAMPLES * 784];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) r.nextDouble();
        }
        int[] labels = r.ints(SAMPLES, 0, 10).toArray();
        objective = net.bind(new Dataset(features, labels, 784, 10), be);
        params = be.upload(net.initialize(1).values());
        grad = be.allocate(params.length());
        batches = new int[16][];
        for (int b = 0; b < batches.length; b++) {
            batches[b] = r.ints(batch, 0, SAMPLES).toArray();
        }
    }

    @Benchmark
    public double step() {
        double loss = objective.lossAndGradient(params, batches[next++ & 15], grad);
        be.axpy(-0.01f, grad, params);
        return loss;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.synchronize();
        params.close();
        grad.close();
        be.close();
    }
}
