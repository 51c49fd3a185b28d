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

    protected abstract double implSoftmaxCrossEntropy(int rows, int cols, A logits, int[] labels, A gradOut);
}
