package dev.hansa.aggregation.architecture;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small convolutional network: conv blocks (a {@code kernel x kernel} convolution with stride 1 and no padding, ReLU,
 * 2 x 2 max pooling with stride 2), then fully connected layers with ReLU between them, softmax cross-entropy on top
 * in the SDK's trainer. With blocks of 20 and 50 channels, 5 x 5 kernels and one hidden layer of 500 on a 1 x 28 x 28
 * input it is ByzFL's {@code cnn_mnist} (the LeNet variant of PyTorch's MNIST example).
 *
 * <p>Tensors follow PyTorch: {@code conv<b>.weight} is [out, in, k, k], {@code fc<l>.weight} is [out, in], biases
 * [out], and the first dense layer reads the last block's output flattened channel by channel ({@code torch.flatten}
 * of [C, H, W]), so a downloaded model loads into the equivalent {@code nn.Module} directly. Initialisation matches
 * PyTorch's defaults for {@code nn.Conv2d} and {@code nn.Linear} ({@link TorchInit}), tensor by tensor in spec order.
 */
public final class ConvArchitecture implements Architecture {

    public static final String NAME = "cnn";

    private final int channels;
    private final int height;
    private final int width;
    private final int[] convChannels;
    private final int kernel;
    private final int[] denseWidths;
    private final ModelSpec spec;

    /**
     * @throws IllegalArgumentException naming the field ({@code model.params....}) when the blocks do not fit the
     *                                  input (each block's convolution output must be at least 2 x 2 for the
     *                                  pooling) or the network would have more than
     *                                  {@link Architectures#MAX_PARAMETERS} parameters
     */
    public ConvArchitecture(int channels, int height, int width, int[] convChannels, int kernel, int[] hidden,
                            int classes) {
        if (convChannels.length == 0) {
            throw new IllegalArgumentException("model.params.convChannels must list at least one block");
        }
        long flat = convChannels[convChannels.length - 1] * lastBlockPixels(height, width, convChannels.length, kernel);
        long count = parameterCount(channels, convChannels, kernel, flat, hidden, classes);
        if (count > Architectures.MAX_PARAMETERS) {
            throw new IllegalArgumentException("model.params: this cnn has " + count + " parameters, more than the "
                    + Architectures.MAX_PARAMETERS + " a model may have");
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.convChannels = convChannels.clone();
        this.kernel = kernel;
        this.denseWidths = new int[hidden.length + 2];
        denseWidths[0] = (int) flat; // fc1 holds flat x (its width) <= MAX_PARAMETERS weights
        System.arraycopy(hidden, 0, denseWidths, 1, hidden.length);
        denseWidths[denseWidths.length - 1] = classes;
        List<TensorSpec> tensors = new ArrayList<>();
        for (int b = 0; b < convChannels.length; b++) {
            tensors.add(new TensorSpec("conv" + (b + 1) + ".weight",
                    new int[] {convChannels[b], blockInputChannels(b), kernel, kernel}));
            tensors.add(new TensorSpec("conv" + (b + 1) + ".bias", new int[] {convChannels[b]}));
        }
        for (int l = 0; l + 1 < denseWidths.length; l++) {
            tensors.add(new TensorSpec("fc" + (l + 1) + ".weight", new int[] {denseWidths[l + 1], denseWidths[l]}));
            tensors.add(new TensorSpec("fc" + (l + 1) + ".bias", new int[] {denseWidths[l + 1]}));
        }
        this.spec = new ModelSpec(tensors);
    }

    /**
     * ByzFL's {@code cnn_mnist} conv blocks on a 1 x 28 x 28 input (20 and 50 channels, 5 x 5 kernels) with the
     * dense head {@code hidden} ({@code cnn_mnist}'s is {500}).
     */
    public static ConvArchitecture mnist(int[] hidden, int classes) {
        return new ConvArchitecture(1, 28, 28, new int[] {20, 50}, 5, hidden, classes);
    }

    /** Pixels per channel after the last block; checks that every block's convolution output can be pooled. */
    private static long lastBlockPixels(int height, int width, int blocks, int kernel) {
        long h = height, w = width;
        for (int b = 0; b < blocks; b++) {
            if (h - kernel + 1 < 2 || w - kernel + 1 < 2) {
                throw new IllegalArgumentException("model.params.kernelSize: conv block " + (b + 1) + " gets a " + h
                        + " x " + w + " input, too small for a " + kernel + " x " + kernel
                        + " convolution and 2 x 2 pooling (needs at least " + (kernel + 1L) + " x " + (kernel + 1L)
                        + ")");
            }
            h = (h - kernel + 1) / 2;
            w = (w - kernel + 1) / 2;
        }
        return h * w;
    }

    /** Weights and biases of every layer, in long arithmetic (the widths are at most 2^20, the layers few). */
    private static long parameterCount(int channels, int[] convChannels, int kernel, long flat, int[] hidden,
                                       int classes) {
        long count = 0;
        long in = channels;
        for (int out : convChannels) {
            count += out * (in * kernel * kernel + 1);
            in = out;
        }
        long previous = flat;
        for (int h : hidden) {
            count += h * (previous + 1);
            previous = h;
        }
        return count + classes * (previous + 1);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    public int inputChannels() {
        return channels;
    }

    public int inputHeight() {
        return height;
    }

    public int inputWidth() {
        return width;
    }

    public int kernel() {
        return kernel;
    }

    /** Output channels of each conv block. */
    public int[] convChannels() {
        return convChannels.clone();
    }

    /** Input channels of conv block {@code b}. */
    public int blockInputChannels(int b) {
        return b == 0 ? channels : convChannels[b - 1];
    }

    /** Widths of the dense layers from the flattened last block to the classes. */
    public int[] denseWidths() {
        return denseWidths.clone();
    }

    @Override
    public Tensors initialize(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[spec.parameterCount()];
        int at = 0;
        for (int b = 0; b < convChannels.length; b++) {
            at = TorchInit.layer(values, at, convChannels[b], blockInputChannels(b) * kernel * kernel, random);
        }
        for (int l = 0; l + 1 < denseWidths.length; l++) {
            at = TorchInit.layer(values, at, denseWidths[l + 1], denseWidths[l], random);
        }
        return new Tensors(spec, values);
    }
}
