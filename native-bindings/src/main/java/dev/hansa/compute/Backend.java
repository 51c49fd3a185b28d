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

    // ---- convolution helpers; images are stored channel-major ("CNHW"): plane c * batch + n is sample n's channel c

    /**
     * Unfolds {@code kernel x kernel} patches (stride 1, no padding) for a convolution as one product: {@code images}
     * is channels x batch x height x width, {@code columns} is (channels * kernel^2) x (batch * oh * ow) with
     * oh = height - kernel + 1 and ow = width - kernel + 1; row {@code (c * kernel + ki) * kernel + kj} (PyTorch's
     * weight order) and column {@code (n * oh + y) * ow + x} hold pixel (y + ki, x + kj) of sample n's channel c.
     */
    void im2col(int channels, int batch, int height, int width, int kernel, FloatArray images, FloatArray columns);

    /**
     * The adjoint of {@link #im2col} with the same dimensions: overwrites {@code images} with, per pixel, the sum of
     * the entries of {@code columns} that {@code im2col} would have copied it to (an input gradient from a patch one).
     */
    void col2im(int channels, int batch, int height, int width, int kernel, FloatArray columns, FloatArray images);

    /**
     * 2 x 2 max pooling with stride 2 over {@code planes} planes of height x width ({@code out}: planes x
     * (height / 2) x (width / 2); an odd last row or column is dropped, as PyTorch's {@code max_pool2d} does). The
     * maximum is {@link Math#max(float, float)}'s: a NaN in a window is its maximum, and +0 is above -0.
     */
    void maxPool(int planes, int height, int width, FloatArray in, FloatArray out);

    /**
     * The gradient of {@link #maxPool}: overwrites {@code gradIn} (planes x height x width) with each window's
     * {@code gradOut} value at the first position, in row-major order within the window, whose value is the window's
     * maximum ({@link Float#compare} equal to it), and 0 everywhere else.
     */
    void maxPoolBackward(int planes, int height, int width, FloatArray in, FloatArray gradOut, FloatArray gradIn);

    /** Swaps the outer axes of an a x b x block array: {@code out[j][i][:] = in[i][j][:]}, out being b x a x block. */
    void swapAxes(int a, int b, int block, FloatArray in, FloatArray out);

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
