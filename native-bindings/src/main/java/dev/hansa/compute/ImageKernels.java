package dev.hansa.compute;

import java.util.Arrays;

/**
 * The convolution helpers of {@link Backend} on heap arrays ({@link Backend#im2col}, {@link Backend#col2im},
 * {@link Backend#maxPool}, {@link Backend#maxPoolBackward}, {@link Backend#swapAxes}), for the two host backends.
 * Each array is given as its backing array and the offset of its first element. The products around them dominate a
 * convolutional step, so these are plain loops ordered for contiguous inner runs.
 */
final class ImageKernels {

    private ImageKernels() {
    }

    static void im2col(int channels, int batch, int height, int width, int kernel, float[] images, int io,
                       float[] columns, int co) {
        int oh = height - kernel + 1, ow = width - kernel + 1;
        int planeOut = oh * ow;
        long rowLength = (long) batch * planeOut;
        for (int c = 0; c < channels; c++) {
            for (int ki = 0; ki < kernel; ki++) {
                for (int kj = 0; kj < kernel; kj++) {
                    int row = co + (int) (((long) (c * kernel + ki) * kernel + kj) * rowLength);
                    for (int n = 0; n < batch; n++) {
                        int plane = io + (c * batch + n) * height * width;
                        int out = row + n * planeOut;
                        for (int y = 0; y < oh; y++) {
                            System.arraycopy(images, plane + (y + ki) * width + kj, columns, out + y * ow, ow);
                        }
                    }
                }
            }
        }
    }

    static void col2im(int channels, int batch, int height, int width, int kernel, float[] columns, int co,
                       float[] images, int io) {
        int oh = height - kernel + 1, ow = width - kernel + 1;
        int planeOut = oh * ow;
        long rowLength = (long) batch * planeOut;
        Arrays.fill(images, io, io + channels * batch * height * width, 0f);
        for (int c = 0; c < channels; c++) {
            for (int ki = 0; ki < kernel; ki++) {
                for (int kj = 0; kj < kernel; kj++) {
                    int row = co + (int) (((long) (c * kernel + ki) * kernel + kj) * rowLength);
                    for (int n = 0; n < batch; n++) {
                        int plane = io + (c * batch + n) * height * width;
                        int in = row + n * planeOut;
                        for (int y = 0; y < oh; y++) {
                            int to = plane + (y + ki) * width + kj, from = in + y * ow;
                            for (int x = 0; x < ow; x++) {
                                images[to + x] += columns[from + x];
                            }
                        }
                    }
                }
            }
        }
    }

    static void maxPool(int planes, int height, int width, float[] in, int io, float[] out, int oo) {
        int ph = height / 2, pw = width / 2;
        for (int p = 0; p < planes; p++) {
            int plane = io + p * height * width;
            int target = oo + p * ph * pw;
            for (int y = 0; y < ph; y++) {
                int top = plane + 2 * y * width;
                for (int x = 0; x < pw; x++) {
                    out[target + y * pw + x] = windowMax(in, top + 2 * x, width);
                }
            }
        }
    }

    static void maxPoolBackward(int planes, int height, int width, float[] in, int io, float[] gradOut, int go,
                                float[] gradIn, int gi) {
        int ph = height / 2, pw = width / 2;
        Arrays.fill(gradIn, gi, gi + planes * height * width, 0f);
        for (int p = 0; p < planes; p++) {
            int plane = p * height * width;
            int source = go + p * ph * pw;
            for (int y = 0; y < ph; y++) {
                for (int x = 0; x < pw; x++) {
                    int corner = plane + 2 * y * width + 2 * x;
                    int at = corner + firstAt(in, io + corner, width, windowMax(in, io + corner, width));
                    gradIn[gi + at] = gradOut[source + y * pw + x];
                }
            }
        }
    }

    /**
     * The maximum of the 2 x 2 window whose top-left element is {@code values[corner]}, as {@link Math#max} takes
     * it: without a branch on the data, which random activations would mispredict half the time.
     */
    private static float windowMax(float[] values, int corner, int width) {
        return Math.max(Math.max(values[corner], values[corner + 1]),
                Math.max(values[corner + width], values[corner + width + 1]));
    }

    /** The offset from the corner (0, 1, width, width + 1) of the window's first value equal to {@code max}. */
    private static int firstAt(float[] values, int corner, int width, float max) {
        if (Float.compare(values[corner], max) == 0) {
            return 0;
        }
        if (Float.compare(values[corner + 1], max) == 0) {
            return 1;
        }
        return Float.compare(values[corner + width], max) == 0 ? width : width + 1;
    }

    static void swapAxes(int a, int b, int block, float[] in, int io, float[] out, int oo) {
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(in, io + (i * b + j) * block, out, oo + (j * a + i) * block, block);
            }
        }
    }
}
