// Element-wise, small reduction and convolution helper kernels for dev.hansa.compute.cuda.CudaBackend; cuBLAS does
// the BLAS work.
//
// Compiled to PTX by native-bindings/bin/build-ptx (the PTX is committed as a resource and JIT-compiled by the
// driver at load time). Every kernel is extern "C" so its PTX entry name is the plain name CudaKernels looks up, and
// every parameter list is mirrored by a launch in CudaKernels: keep the two in sync. Element-wise kernels use
// grid-stride loops with 64-bit indices, so any grid size covers any length.

#include <math.h>

#define GRID_STRIDE(i, n) \
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < (n); \
         i += (long long) gridDim.x * blockDim.x)

extern "C" {

// x[i] = value
__global__ void hansa_fill(long long n, float value, float *x) {
    GRID_STRIDE(i, n) {
        x[i] = value;
    }
}

// C[r, c] = beta * C[r, c] for a rows x cols block with row stride ldc; C is not read when beta is 0.
__global__ void hansa_scale_matrix(int rows, int cols, float beta, float *c, int ldc) {
    GRID_STRIDE(i, (long long) rows * cols) {
        long long at = (i / cols) * ldc + i % cols;
        c[at] = beta == 0.0f ? 0.0f : beta * c[at];
    }
}

// m[r, c] += bias[c]
__global__ void hansa_add_row_vector(int rows, int cols, float *m, const float *bias) {
    GRID_STRIDE(i, (long long) rows * cols) {
        m[i] += bias[i % cols];
    }
}

// out[c] = sum over r of m[r, c]: one thread per column, so neighbouring threads read neighbouring addresses.
__global__ void hansa_column_sums(int rows, int cols, const float *m, float *out) {
    GRID_STRIDE(c, cols) {
        float sum = 0.0f;
        for (int r = 0; r < rows; r++) {
            sum += m[(long long) r * cols + c];
        }
        out[c] = sum;
    }
}

// x = x > 0 ? x : 0 (NaN becomes 0, as in the reference backend)
__global__ void hansa_relu(long long n, float *x) {
    GRID_STRIDE(i, n) {
        x[i] = x[i] > 0.0f ? x[i] : 0.0f;
    }
}

// g = act > 0 ? g : 0
__global__ void hansa_relu_backward(long long n, const float *act, float *g) {
    GRID_STRIDE(i, n) {
        if (!(act[i] > 0.0f)) {
            g[i] = 0.0f;
        }
    }
}

// One warp per row of logits: grad = softmax - onehot(label), rowLoss = logsumexp - logit[label]. grad may alias
// logits: each lane only overwrites the columns it read, and the label's logit is read before any lane writes.
__global__ void hansa_softmax_xent(int rows, int cols, const float *logits, const int *labels, float *grad,
                                   float *rowLoss) {
    int row = (int) ((blockIdx.x * (long long) blockDim.x + threadIdx.x) >> 5);
    int lane = threadIdx.x & 31;
    if (row >= rows) {
        return; // rows are whole warps, so the warp leaves together
    }
    const float *in = logits + (long long) row * cols;
    float *out = grad + (long long) row * cols;
    float max = -INFINITY;
    for (int j = lane; j < cols; j += 32) {
        max = fmaxf(max, in[j]);
    }
    for (int offset = 16; offset > 0; offset >>= 1) {
        max = fmaxf(max, __shfl_xor_sync(0xffffffffu, max, offset));
    }
    float sum = 0.0f;
    for (int j = lane; j < cols; j += 32) {
        sum += expf(in[j] - max);
    }
    for (int offset = 16; offset > 0; offset >>= 1) {
        sum += __shfl_xor_sync(0xffffffffu, sum, offset);
    }
    float logSum = logf(sum) + max;
    int label = labels[row];
    float target = in[label];
    __syncwarp();
    for (int j = lane; j < cols; j += 32) {
        float p = expf(in[j] - logSum);
        out[j] = j == label ? p - 1.0f : p;
    }
    if (lane == 0) {
        rowLoss[row] = logSum - target;
    }
}

// out[0] = sum of values, in double, in a fixed order (one block of 256 threads): the loss is reproducible.
__global__ void hansa_sum_to_double(int n, const float *values, double *out) {
    __shared__ double partial[256];
    double sum = 0.0;
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        sum += values[i];
    }
    partial[threadIdx.x] = sum;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
        if (threadIdx.x < stride) {
            partial[threadIdx.x] += partial[threadIdx.x + stride];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        out[0] = partial[0];
    }
}

// out[r, p] = x[r, d0 + p] + negMean[d0 + p] for the n x w column block starting at d0 of the n x d matrix x.
__global__ void hansa_centre_block(int n, int d, int d0, int w, const float *x, const float *negMean, float *out) {
    GRID_STRIDE(i, (long long) n * w) {
        long long r = i / w;
        int p = (int) (i % w);
        out[i] = x[r * d + d0 + p] + negMean[d0 + p];
    }
}

// Gram matrix g (n x n) to squared distances, off the diagonal: symmetric, clamped at 0. Thread (i, j) with i < j
// owns cells (i, j) and (j, i); the diagonal is only read here and zeroed by hansa_zero_diagonal afterwards.
__global__ void hansa_gram_to_distances(int n, float *g) {
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    int i = blockIdx.y * blockDim.y + threadIdx.y;
    if (i < j && j < n) {
        long long ij = (long long) i * n + j, ji = (long long) j * n + i;
        float cross = g[ij] + g[ji];
        float dist = fmaxf(0.0f, g[(long long) i * n + i] + g[(long long) j * n + j] - cross);
        g[ij] = dist;
        g[ji] = dist;
    }
}

__global__ void hansa_zero_diagonal(int n, float *g) {
    GRID_STRIDE(i, n) {
        g[i * n + i] = 0.0f;
    }
}

// Convolution helpers. Images are channel-major (CNHW: plane c * batch + n is sample n's channel c); see
// dev.hansa.compute.Backend for the layouts. Each thread writes one output element, so none needs atomics.

// columns[(c k + ki) k + kj][(n oh + y) ow + x] = images[c batch + n][y + ki][x + kj] with oh = height - k + 1,
// ow = width - k + 1: one thread per column entry.
__global__ void hansa_im2col(int channels, int batch, int height, int width, int kernel, const float *images,
                             float *columns) {
    int oh = height - kernel + 1, ow = width - kernel + 1;
    long long rowLength = (long long) batch * oh * ow;
    GRID_STRIDE(i, (long long) channels * kernel * kernel * rowLength) {
        int x = (int) (i % ow);
        long long t = i / ow;
        int y = (int) (t % oh);
        t /= oh;
        int n = (int) (t % batch);
        t /= batch;
        int kj = (int) (t % kernel);
        t /= kernel;
        int ki = (int) (t % kernel);
        long long c = t / kernel;
        columns[i] = images[((c * batch + n) * height + y + ki) * width + x + kj];
    }
}

// The adjoint of hansa_im2col: one thread per pixel sums the column entries im2col copies it to, in ascending
// (ki, kj) as the host backends do, so the result is deterministic.
__global__ void hansa_col2im(int channels, int batch, int height, int width, int kernel, const float *columns,
                             float *images) {
    int oh = height - kernel + 1, ow = width - kernel + 1;
    long long rowLength = (long long) batch * oh * ow;
    GRID_STRIDE(i, (long long) channels * batch * height * width) {
        int px = (int) (i % width);
        long long t = i / width;
        int py = (int) (t % height);
        t /= height;
        int n = (int) (t % batch);
        long long c = t / batch;
        // Patch offsets (ki, kj) whose output position (py - ki, px - kj) lies inside oh x ow.
        int kiFirst = max(0, py - oh + 1), kiLast = min(kernel - 1, py);
        int kjFirst = max(0, px - ow + 1), kjLast = min(kernel - 1, px);
        float sum = 0.0f;
        for (int ki = kiFirst; ki <= kiLast; ki++) {
            for (int kj = kjFirst; kj <= kjLast; kj++) {
                long long row = (c * kernel + ki) * kernel + kj;
                sum += columns[row * rowLength + ((long long) n * oh + py - ki) * ow + px - kj];
            }
        }
        images[i] = sum;
    }
}

// Java's Math.max(float, float), as the host backends take a window's maximum: a NaN wins (the first one), and +0 is
// above -0. (CUDA's fmaxf returns the number when one operand is NaN.)
static __device__ __forceinline__ float hansa_max(float a, float b) {
    if (isnan(a)) {
        return a;
    }
    if (isnan(b)) {
        return b;
    }
    if (a == 0.0f && b == 0.0f) {
        return signbit(a) ? b : a;
    }
    return a >= b ? a : b;
}

// The maximum of the 2 x 2 window at corner, grouped as the host backends group it.
static __device__ __forceinline__ float hansa_window_max(const float *corner, int width) {
    return hansa_max(hansa_max(corner[0], corner[1]), hansa_max(corner[width], corner[width + 1]));
}

// Java's Float.compare(v, m) == 0: the same number with the same sign of zero, or both NaN.
static __device__ __forceinline__ bool hansa_same(float v, float m) {
    return (isnan(v) && isnan(m)) || (v == m && signbit(v) == signbit(m));
}

// The offset from corner (0, 1, width, width + 1) of the window's first value equal to its maximum.
static __device__ __forceinline__ int hansa_first_max(const float *corner, int width) {
    float m = hansa_window_max(corner, width);
    if (hansa_same(corner[0], m)) {
        return 0;
    }
    if (hansa_same(corner[1], m)) {
        return 1;
    }
    return hansa_same(corner[width], m) ? width : width + 1;
}

// out[p][y][x] = max of in[p][2y..2y+1][2x..2x+1]; an odd last row or column is never read.
__global__ void hansa_max_pool(int planes, int height, int width, const float *in, float *out) {
    int ph = height / 2, pw = width / 2;
    GRID_STRIDE(i, (long long) planes * ph * pw) {
        int x = (int) (i % pw);
        long long t = i / pw;
        int y = (int) (t % ph);
        long long p = t / ph;
        const float *corner = in + (p * height + 2 * y) * width + 2 * x;
        out[i] = hansa_window_max(corner, width);
    }
}

// One thread per input pixel, so all of gradIn is written: gradOut's value where the pixel is its window's first
// maximum, else 0 (also for a dropped odd last row or column).
__global__ void hansa_max_pool_backward(int planes, int height, int width, const float *in, const float *gradOut,
                                        float *gradIn) {
    int ph = height / 2, pw = width / 2;
    GRID_STRIDE(i, (long long) planes * height * width) {
        int px = (int) (i % width);
        long long t = i / width;
        int py = (int) (t % height);
        long long p = t / height;
        float g = 0.0f;
        int wy = py / 2, wx = px / 2;
        if (wy < ph && wx < pw) {
            const float *corner = in + (p * height + 2 * wy) * width + 2 * wx;
            if (hansa_first_max(corner, width) == (py & 1) * width + (px & 1)) {
                g = gradOut[(p * ph + wy) * pw + wx];
            }
        }
        gradIn[i] = g;
    }
}

// out[j][i][:] = in[i][j][:] for an a x b x block in: one thread per element of out, so writes are contiguous.
__global__ void hansa_swap_axes(int a, int b, int block, const float *in, float *out) {
    GRID_STRIDE(o, (long long) a * b * block) {
        int e = (int) (o % block);
        long long t = o / block;
        int i = (int) (t % a);
        long long j = t / a;
        out[o] = in[((long long) i * b + j) * block + e];
    }
}

}  // extern "C"
