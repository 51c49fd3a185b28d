package dev.hansa.compute;

import java.util.Arrays;

/**
 * What the two heap-array backends ({@link JavaBackend}, {@link CpuBackend}) share: {@link HostFloatArray}
 * allocation, copies, fills, the convolution helpers ({@link ImageKernels}), and the row-wise softmax cross-entropy
 * in double (rows x classes is tiny next to the GEMMs around it, so the precise reference is fast enough for both).
 */
abstract class HostBackend extends CheckedBackend<HostFloatArray> {

    HostBackend() {
        super(HostFloatArray.class);
    }

    @Override
    public final FloatArray allocate(long length) {
        return HostFloatArray.allocate(this, length);
    }

    @Override
    protected final void implCopy(HostFloatArray src, HostFloatArray dst) {
        System.arraycopy(src.data(), src.offset(), dst.data(), dst.offset(), (int) src.length());
    }

    @Override
    protected final void implFill(HostFloatArray x, float value) {
        Arrays.fill(x.data(), x.offset(), x.offset() + (int) x.length(), value);
    }

    @Override
    protected final void implIm2col(int channels, int batch, int height, int width, int kernel,
                                    HostFloatArray images, HostFloatArray columns) {
        ImageKernels.im2col(channels, batch, height, width, kernel, images.data(), images.offset(), columns.data(),
                columns.offset());
    }

    @Override
    protected final void implCol2im(int channels, int batch, int height, int width, int kernel,
                                    HostFloatArray columns, HostFloatArray images) {
        ImageKernels.col2im(channels, batch, height, width, kernel, columns.data(), columns.offset(), images.data(),
                images.offset());
    }

    @Override
    protected final void implMaxPool(int planes, int height, int width, HostFloatArray in, HostFloatArray out) {
        ImageKernels.maxPool(planes, height, width, in.data(), in.offset(), out.data(), out.offset());
    }

    @Override
    protected final void implMaxPoolBackward(int planes, int height, int width, HostFloatArray in,
                                             HostFloatArray gradOut, HostFloatArray gradIn) {
        ImageKernels.maxPoolBackward(planes, height, width, in.data(), in.offset(), gradOut.data(), gradOut.offset(),
                gradIn.data(), gradIn.offset());
    }

    @Override
    protected final void implSwapAxes(int a, int b, int block, HostFloatArray in, HostFloatArray out) {
        ImageKernels.swapAxes(a, b, block, in.data(), in.offset(), out.data(), out.offset());
    }

    @Override
    protected final double implSoftmaxCrossEntropy(int rows, int cols, HostFloatArray logits, int[] labels,
                                                   HostFloatArray gradOut) {
        float[] l = logits.data(), grad = gradOut.data();
        int lo = logits.offset(), go = gradOut.offset();
        double loss = 0;
        for (int i = 0; i < rows; i++) {
            int base = lo + i * cols, gbase = go + i * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, l[base + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(l[base + j] - max);
            }
            double logSum = Math.log(sum) + max;
            loss += logSum - l[base + labels[i]];
            for (int j = 0; j < cols; j++) {
                double p = Math.exp(l[base + j] - logSum);
                grad[gbase + j] = (float) (j == labels[i] ? p - 1.0 : p);
            }
        }
        return loss;
    }
}
