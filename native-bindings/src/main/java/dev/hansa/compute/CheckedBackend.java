package dev.hansa.compute;

/**
 * The argument checks of every {@link Backend} operation, written once: dimensions first ({@link Shapes}), then that
 * each array belongs to this backend, unwrapped to the backend's own array type {@code A}. Implementations write the
 * {@code impl*} methods, which receive checked arguments only, so all backends fail the same way on the same
 * mistake (JDK idiom: {@code AbstractInterruptibleChannel.implCloseChannel}).
 *
 * @param <A> the array type this backend allocates
 */
public abstract class CheckedBackend<A extends FloatArray> implements Backend {

    private final Class<A> arrayType;

    protected CheckedBackend(Class<A> arrayType) {
        this.arrayType = arrayType;
    }

    /** {@code array} as this backend's own array type; {@code name} goes into the error when it is not one. */
    protected final A own(FloatArray array, String name) {
        if (!arrayType.isInstance(array) || array.backend() != this) {
            throw new IllegalArgumentException(name + " does not belong to the " + name() + " backend");
        }
        return arrayType.cast(array);
    }

    @Override
    public final void gemm(Transpose transA, Transpose transB, int m, int n, int k,
                           float alpha, FloatArray a, int lda, FloatArray b, int ldb,
                           float beta, FloatArray c, int ldc) {
        Shapes.checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        implGemm(transA, transB, m, n, k, alpha, own(a, "a"), lda, own(b, "b"), ldb, beta, own(c, "c"), ldc);
    }

    @Override
    public final void gemv(Transpose transA, int m, int n, float alpha, FloatArray a, int lda, FloatArray x,
                           float beta, FloatArray y) {
        Shapes.checkGemv(transA, m, n, a, lda, x, y);
        implGemv(transA, m, n, alpha, own(a, "a"), lda, own(x, "x"), beta, own(y, "y"));
    }

    @Override
    public final void axpy(float alpha, FloatArray x, FloatArray y) {
        Shapes.checkSameLength(x, y);
        implAxpy(alpha, own(x, "x"), own(y, "y"));
    }

    @Override
    public final float dot(FloatArray x, FloatArray y) {
        Shapes.checkSameLength(x, y);
        return implDot(own(x, "x"), own(y, "y"));
    }

    @Override
    public final float nrm2(FloatArray x) {
        return implNrm2(own(x, "x"));
    }

    @Override
    public final void scal(float alpha, FloatArray x) {
        implScal(alpha, own(x, "x"));
    }

    @Override
    public final void copy(FloatArray src, FloatArray dst) {
        Shapes.checkSameLength(src, dst);
        implCopy(own(src, "src"), own(dst, "dst"));
    }

    @Override
    public final void fill(FloatArray x, float value) {
        implFill(own(x, "x"), value);
    }

    @Override
    public final void pairwiseSquaredDistances(int n, int d, FloatArray x, FloatArray out) {
        Shapes.checkPairwise(n, d, x, out);
        implPairwiseSquaredDistances(n, d, own(x, "x"), own(out, "out"));
    }

    @Override
    public final void addRowVector(int rows, int cols, FloatArray matrix, FloatArray bias) {
        Shapes.checkMatrix("matrix", rows, cols, matrix);
        Shapes.checkLength("bias", cols, bias);
        implAddRowVector(rows, cols, own(matrix, "matrix"), own(bias, "bias"));
    }

    @Override
    public final void columnSums(int rows, int cols, FloatArray matrix, FloatArray out) {
        Shapes.checkMatrix("matrix", rows, cols, matrix);
        Shapes.checkLength("out", cols, out);
        implColumnSums(rows, cols, own(matrix, "matrix"), own(out, "out"));
    }

    @Override
    public final void relu(FloatArray x) {
        implRelu(own(x, "x"));
    }

    @Override
    public final void reluBackward(FloatArray activation, FloatArray grad) {
        Shapes.checkSameLength(activation, grad);
        implReluBackward(own(activation, "activation"), own(grad, "grad"));
    }

    @Override
    public final double softmaxCrossEntropy(int rows, int cols, FloatArray logits, int[] labels, FloatArray gradOut) {
        Shapes.checkMatrix("logits", rows, cols, logits);
        Shapes.checkMatrix("gradOut", rows, cols, gradOut);
        Shapes.checkLabels(rows, cols, labels);
        return implSoftmaxCrossEntropy(rows, cols, own(logits, "logits"), labels, own(gradOut, "gradOut"));
    }

    @Override
    public final void im2col(int channels, int batch, int height, int width, int kernel, FloatArray images,
                             FloatArray columns) {
        Shapes.checkIm2col(channels, batch, height, width, kernel, images, columns);
        implIm2col(channels, batch, height, width, kernel, own(images, "images"), own(columns, "columns"));
    }

    @Override
    public final void col2im(int channels, int batch, int height, int width, int kernel, FloatArray columns,
                             FloatArray images) {
        Shapes.checkIm2col(channels, batch, height, width, kernel, images, columns);
        implCol2im(channels, batch, height, width, kernel, own(columns, "columns"), own(images, "images"));
    }

    @Override
    public final void maxPool(int planes, int height, int width, FloatArray in, FloatArray out) {
        Shapes.checkPool(planes, height, width, in, out);
        implMaxPool(planes, height, width, own(in, "in"), own(out, "out"));
    }

    @Override
    public final void maxPoolBackward(int planes, int height, int width, FloatArray in, FloatArray gradOut,
                                      FloatArray gradIn) {
        Shapes.checkPool(planes, height, width, in, gradOut);
        Shapes.checkLength("gradIn", in.length(), gradIn);
        implMaxPoolBackward(planes, height, width, own(in, "in"), own(gradOut, "gradOut"), own(gradIn, "gradIn"));
    }

    @Override
    public final void swapAxes(int a, int b, int block, FloatArray in, FloatArray out) {
        Shapes.checkSwapAxes(a, b, block, in, out);
        implSwapAxes(a, b, block, own(in, "in"), own(out, "out"));
    }

    protected abstract void implGemm(Transpose transA, Transpose transB, int m, int n, int k,
                                     float alpha, A a, int lda, A b, int ldb, float beta, A c, int ldc);

    protected abstract void implGemv(Transpose transA, int m, int n, float alpha, A a, int lda, A x, float beta, A y);

    protected abstract void implAxpy(float alpha, A x, A y);

    protected abstract float implDot(A x, A y);

    protected abstract float implNrm2(A x);

    protected abstract void implScal(float alpha, A x);

    protected abstract void implCopy(A src, A dst);

    protected abstract void implFill(A x, float value);

    protected abstract void implPairwiseSquaredDistances(int n, int d, A x, A out);

    protected abstract void implAddRowVector(int rows, int cols, A matrix, A bias);

    protected abstract void implColumnSums(int rows, int cols, A matrix, A out);

    protected abstract void implRelu(A x);

    protected abstract void implReluBackward(A activation, A grad);

    protected abstract void implIm2col(int channels, int batch, int height, int width, int kernel, A images,
                                       A columns);

    protected abstract void implCol2im(int channels, int batch, int height, int width, int kernel, A columns,
                                       A images);

    protected abstract void implMaxPool(int planes, int height, int width, A in, A out);

    protected abstract void implMaxPoolBackward(int planes, int height, int width, A in, A gradOut, A gradIn);

    protected abstract void implSwapAxes(int a, int b, int block, A in, A out);

    protected abstract double implSoftmaxCrossEntropy(int rows, int cols, A logits, int[] labels, A gradOut);
}
