package dev.hansa.compute;

/**
 * The numeric kernels Hansa's trainers and aggregators need, BLAS-like, over {@link FloatArray}s that may live on a
 * device so that a trainer keeps weights and activations there across steps.
 *
 * <p>All matrices are <b>row-major</b>: element (i, j) of a matrix with leading dimension {@code ld} is at
 * {@code i * ld + j}. Operands must belong to this backend. Implementations check dimensions and throw
 * {@link IllegalArgumentException} naming the offending argument.
 */
public interface Backend extends AutoCloseable {

    /** Short name for logs and configuration: {@code java}, {@code cpu} or {@code cuda}. */
    String name();

    /** A new zero-filled array of {@code length} floats. */
    FloatArray allocate(long length);

    /** A new array holding a copy of {@code host}. */
    default FloatArray upload(float[] host) {
        FloatArray array = allocate(host.length);
        array.copyFromHost(host);
        return array;
    }

    /**
     * C = alpha * op(A) * op(B) + beta * C, with op(A) m x k, op(B) k x n and C m x n. As in BLAS, C is not read when
     * beta is 0 and A and B are not read when alpha or k is 0 (NaN there does not propagate).
     */
    void gemm(Transpose transA, Transpose transB, int m, int n, int k,
              float alpha, FloatArray a, int lda, FloatArray b, int ldb,
              float beta, FloatArray c, int ldc);

    /**
     * y = alpha * op(A) * x + beta * y, with A stored m x n (row-major, leading dimension lda). As in {@link #gemm}, y
     * is not read when beta is 0, and A and x are not read when alpha is 0.
     */
    void gemv(Transpose transA, int m, int n, float alpha, FloatArray a, int lda, FloatArray x, float beta, FloatArray y);

    /** y += alpha * x (equal lengths). */
    void axpy(float alpha, FloatArray x, FloatArray y);

    /** Sum of x[i] * y[i] (equal lengths). */
    float dot(FloatArray x, FloatArray y);

    /** Euclidean norm of x, computed without overflow for large entries. */
    float nrm2(FloatArray x);

    /** x *= alpha. */
    void scal(float alpha, FloatArray x);

    /** dst = src (equal lengths). */
    void copy(FloatArray src, FloatArray dst);

    /** x[i] = value for all i. */
    void fill(FloatArray x, float value);

    /**
     * Pairwise squared Euclidean distances of the n rows of X (n x d, row-major): out[i*n+j] = ||x_i - x_j||^2.
     * Computed through the Gram matrix X X^T on centred rows, clamped at 0, with a zero diagonal.
     */
    void pairwiseSquaredDistances(int n, int d, FloatArray x, FloatArray out);

    // ---- neural-network helpers the built-in trainers need (elementwise, so GPUs run them as kernels) ----

    /** matrix[i, j] += bias[j] for a rows x cols row-major matrix. */
    void addRowVector(int rows, int cols, FloatArray matrix, FloatArray bias);

    /** out[j] = sum_i matrix[i, j] for a rows x cols row-major matrix (bias gradients). */
    void columnSums(int rows, int cols, FloatArray matrix, FloatArray out);

    /** x = max(x, 0) in place. */
    void relu(FloatArray x);

    /** grad[i] = 0 where activation[i] <= 0 (activation is the ReLU output). */
    void reluBackward(FloatArray activation, FloatArray grad);

    /**
     * Row-wise softmax cross-entropy over a rows x cols matrix of logits. Writes (softmax - onehot(label)) into
     * {@code gradOut} (same shape; may alias {@code logits}) and returns the summed loss over the rows, in double.
     */
    double softmaxCrossEntropy(int rows, int cols, FloatArray logits, int[] labels, FloatArray gradOut);

    /** Waits for queued device work; a no-op on host backends. */
    default void synchronize() {
    }

    /** Releases backend-wide resources (handles, streams); arrays must be closed first. */
    @Override
    default void close() {
    }
}
