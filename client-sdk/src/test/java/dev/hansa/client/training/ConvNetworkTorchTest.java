package dev.hansa.client.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hansa.aggregation.architecture.ConvArchitecture;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.data.RandomDatasets;
import dev.hansa.compute.CpuBackend;
import dev.hansa.compute.FloatArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch's reading of Hansa's {@code cnn_mnist}: the model file Hansa writes loads into the equivalent
 * {@code nn.Module} with {@code load_state_dict(strict=True)}, and PyTorch's loss and gradient, in float64, on the same
 * batch match the SDK's ({@code bin/torch_cnn_reference.py}). Skipped, saying why, where Debian's python3 has no torch
 * (apt-get install python3-torch).
 */
class ConvNetworkTorchTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    @Test
    void pytorchLoadsTheModelFileAndComputesTheSameLossAndGradient() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON) && run(List.of(PYTHON.toString(), "-c", "import torch, numpy")) != null,
                "skipped: " + PYTHON + " has no torch and numpy (apt-get install python3-torch)");
        ConvArchitecture net = ConvArchitecture.mnist(new int[] {500}, 10);
        Tensors weights = net.initialize(3);
        Dataset data = RandomDatasets.uniform(8, 784, 10, 5);
        int[] batch = {0, 1, 2, 3, 4, 5, 6, 7};
        Files.write(dir.resolve("model.safetensors"), Safetensors.write(weights, Map.of()));
        ByteBuffer images = ByteBuffer.allocate(8 * 784 * 4).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer labels = ByteBuffer.allocate(8 * 4).order(ByteOrder.LITTLE_ENDIAN);
        float[] row = new float[784];
        for (int i : batch) {
            data.copyFeatures(i, row, 0);
            for (float v : row) {
                images.putFloat(v);
            }
            labels.putInt(data.label(i));
        }
        Files.write(dir.resolve("images.f32"), images.array());
        Files.write(dir.resolve("labels.i32"), labels.array());

        List<String> out = run(List.of(PYTHON.toString(), "bin/torch_cnn_reference.py", dir.toString()));
        assertEquals(1, out == null ? 0 : out.size(), "the reference's output: " + out);
        double torchLoss = Double.parseDouble(out.getFirst());
        ByteBuffer g = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("gradient.f64"))).order(ByteOrder.LITTLE_ENDIAN);
        double[] torchGradient = new double[g.remaining() / 8];
        for (int i = 0; i < torchGradient.length; i++) {
            torchGradient[i] = g.getDouble();
        }

        float[] gradient;
        double loss;
        try (CpuBackend backend = new CpuBackend(); FloatArray p = backend.upload(weights.values());
             FloatArray grad = backend.allocate(weights.values().length)) {
            loss = new ConvNetwork(net).bind(data, backend).lossAndGradient(p, batch, grad);
            gradient = grad.toHost();
        }
        assertEquals(torchLoss, loss, 1e-5);
        assertEquals(torchGradient.length, gradient.length);
        double largest = 0;
        for (double v : torchGradient) {
            largest = Math.max(largest, Math.abs(v));
        }
        for (int i = 0; i < gradient.length; i++) {
            assertEquals(torchGradient[i], gradient[i], 1e-4 * largest, "parameter " + i + " (" + weights.tensorAt(i)
                    + ")");
        }
    }

    /** The command's output lines, or null when it fails. */
    private static List<String> run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroy();
            return null;
        }
        return out.lines().toList();
    }
}
