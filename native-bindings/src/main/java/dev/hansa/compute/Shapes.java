package dev.hansa.compute;

/** Argument checks shared by every backend, so all of them fail the same way on the same mistake. */
public final class Shapes {

    private Shapes() {
    }

    public static void checkGemm(Transpose transA, Transpose transB, int m, int n, int k,
                                 FloatArray a, int lda, FloatArray b, int ldb, FloatArray c, int ldc) {
        checkNonNegative("m", m);
        checkNonNegative("n", n);
        checkNonNegative("k", k);
        int aRows = transA.transposed() ? k : m, aCols = transA.transposed() ? m : k;
        int bRows = transB.transposed() ? n : k, bCols = transB.transposed() ? k : n;
        checkStrided("a", aRows, aCols, lda, a);
        checkStrided("b", bRows, bCols, ldb, b);
        checkStrided("c", m, n, ldc, c);
    }

    public static void checkGemv(Transpose transA, int m, int n, FloatArray a, int lda, FloatArray x, FloatArray y) {
        checkNonNegative("m", m);
        checkNonNegative("n", n);
        checkStrided("a", m, n, lda, a);
        checkLength("x", transA.transposed() ? m : n, x);
        checkLength("y", transA.transposed() ? n : m, y);
    }

    public static void checkPairwise(int n, int d, FloatArray x, FloatArray out) {
        checkNonNegative("n", n);
        checkNonNegative("d", d);
        checkMatrix("x", n, d, x);
        checkMatrix("out", n, n, out);
    }

    public static void checkMatrix(String name, int rows, int cols, FloatArray array) {
        checkNonNegative(name + " rows", rows);
        checkNonNegative(name + " cols", cols);
        if (array.length() < (long) rows * cols) {
            throw new IllegalArgumentException(name + " holds " + array.length() + " floats, needs " + rows + " x " + cols);
        }
    }

    public static void checkLength(String name, long expected, FloatArray array) {
        if (array.length() != expected) {
            throw new IllegalArgumentException(name + " has length " + array.length() + ", expected " + expected);
        }
    }

    public static void checkSameLength(FloatArray x, FloatArray y) {
        if (x.length() != y.length()) {
            throw new IllegalArgumentException("length mismatch: " + x.length() + " vs " + y.length());
        }
    }

    /** {@link Backend#im2col}: images channels x batch x height x width, columns (channels k^2) x (batch oh ow). */
    public static void checkIm2col(int channels, int batch, int height, int width, int kernel, FloatArray images,
                                   FloatArray columns) {
        checkPositive("channels", channels);
        checkNonNegative("batch", batch);
        checkPositive("kernel", kernel);
        if (height < kernel || width < kernel) {
            throw new IllegalArgumentException("a " + kernel + " x " + kernel + " kernel does not fit a " + height
                    + " x " + width + " image");
        }
        long pixels = (long) height * width;
        long outputs = (long) (height - kernel + 1) * (width - kernel + 1);
        checkLength("images", (long) channels * batch * pixels, images);
        checkLength("columns", (long) channels * kernel * kernel * batch * outputs, columns);
    }

    /** {@link Backend#maxPool}: in planes x height x width, out planes x (height / 2) x (width / 2). */
    public static void checkPool(int planes, int height, int width, FloatArray in, FloatArray out) {
        checkNonNegative("planes", planes);
        if (height < 2 || width < 2) {
            throw new IllegalArgumentException("2 x 2 pooling needs planes of at least 2 x 2, got " + height + " x "
                    + width);
        }
        checkLength("in", (long) planes * height * width, in);
        checkLength("out", (long) planes * (height / 2) * (width / 2), out);
    }

    /** {@link Backend#swapAxes}: in and out both hold a x b x block floats. */
    public static void checkSwapAxes(int a, int b, int block, FloatArray in, FloatArray out) {
        checkNonNegative("a", a);
        checkNonNegative("b", b);
        checkNonNegative("block", block);
        checkLength("in", (long) a * b * block, in);
        checkLength("out", (long) a * b * block, out);
    }

    public static void checkLabels(int rows, int cols, int[] labels) {
        if (labels.length < rows) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries, needs " + rows);
        }
        for (int i = 0; i < rows; i++) {
            if (labels[i] < 0 || labels[i] >= cols) {
                throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + " is outside [0, " + cols + ")");
            }
        }
    }

    private static void checkStrided(String name, int rows, int cols, int ld, FloatArray array) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("leading dimension of " + name + " is " + ld + ", must be >= " + Math.max(1, cols));
        }
        long needed = rows == 0 ? 0 : (long) (rows - 1) * ld + cols;
        if (array.length() < needed) {
            throw new IllegalArgumentException(name + " holds " + array.length() + " floats, needs " + needed
                    + " for " + rows + " x " + cols + " with leading dimension " + ld);
        }
    }

    private static void checkPositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1: " + value);
        }
    }

    private static void checkNonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0: " + value);
        }
    }
}
